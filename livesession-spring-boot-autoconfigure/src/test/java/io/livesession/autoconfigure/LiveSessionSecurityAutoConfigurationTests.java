package io.livesession.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.LoginMergeHandler;
import io.livesession.autoconfigure.actuate.LiveAuditAutoConfiguration;
import io.livesession.autoconfigure.actuate.LiveAuditListener;
import io.livesession.event.LiveAuditEvent;
import io.livesession.event.LiveConnectionRejectedEvent;
import io.livesession.revocation.ChannelRevocations;
import io.livesession.revocation.ConnectionBindings;
import io.livesession.revocation.HttpSessionEndListener;
import io.livesession.revocation.HttpSessionMonitor;
import io.livesession.revocation.LocalRevocations;
import io.livesession.revocation.LoginLogoutListener;
import io.livesession.revocation.RevocationChannel;
import io.livesession.revocation.Revocations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the revocation, HTTP session and audit parts of the auto-configuration.
 *
 * @author livesession
 */
class LiveSessionSecurityAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class,
				LiveAuditAutoConfiguration.class, AuditAutoConfiguration.class));

	@Test
	void createsTheRevocationBeansByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionBindings.class)
				.hasSingleBean(LocalRevocations.class)
				.hasSingleBean(RevocationChannel.class)
				.hasSingleBean(HttpSessionMonitor.class)
				.hasSingleBean(HttpSessionEndListener.class)
				.hasSingleBean(LoginLogoutListener.class)
				.doesNotHaveBean(LiveAuditListener.class);
			assertThat(context).getBean(Revocations.class).isInstanceOf(ChannelRevocations.class);
			assertThat(context.getBean(HttpSessionMonitor.class).isRunning()).isTrue();
		});
	}

	@Test
	void securityPropertiesHaveTheirDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			LiveSessionProperties.Security security = context.getBean(LiveSessionProperties.class).getSecurity();
			assertThat(security.getSessionCheckInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(security.isKeepHttpSessionAlive()).isTrue();
			HttpSessionMonitor monitor = context.getBean(HttpSessionMonitor.class);
			assertThat(ReflectionTestUtils.getField(monitor, "interval")).isEqualTo(Duration.ofSeconds(30));
			assertThat(ReflectionTestUtils.getField(monitor, "keepAlive")).isEqualTo(true);
			assertThat(ReflectionTestUtils.getField(monitor, "repository")).isNull();
		});
	}

	@Test
	void bindsTheSecurityPropertiesIntoTheMonitor() {
		this.contextRunner
			.withPropertyValues("livesession.security.session-check-interval=5s",
					"livesession.security.keep-http-session-alive=false")
			.run((context) -> {
				HttpSessionMonitor monitor = context.getBean(HttpSessionMonitor.class);
				assertThat(ReflectionTestUtils.getField(monitor, "interval")).isEqualTo(Duration.ofSeconds(5));
				assertThat(ReflectionTestUtils.getField(monitor, "keepAlive")).isEqualTo(false);
			});
	}

	@Test
	void checksSessionsInTheApplicationsSessionRepository() {
		this.contextRunner.withUserConfiguration(SessionRepositoryConfiguration.class).run((context) -> {
			HttpSessionMonitor monitor = context.getBean(HttpSessionMonitor.class);
			assertThat(ReflectionTestUtils.getField(monitor, "repository"))
				.isSameAs(context.getBean(SessionRepository.class));
		});
	}

	@Test
	void backsOffWhenUserDefinesTheRevocationBeans() {
		this.contextRunner.withUserConfiguration(UserRevocationConfiguration.class).run((context) -> {
			assertThat(context.getBeanNamesForType(Revocations.class)).containsExactly("customRevocations");
			assertThat(context.getBeanNamesForType(RevocationChannel.class)).containsExactly("customChannel");
			assertThat(context.getBeanNamesForType(ConnectionBindings.class)).containsExactly("customBindings");
		});
	}

	@Test
	void withoutSpringSecurityThereIsNoLoginLogoutListener() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LoginLogoutListener.class)
				.hasSingleBean(HttpSessionMonitor.class));
	}

	@Test
	void passesTheMergeHandlerToTheLoginListener() {
		this.contextRunner.withBean(LoginMergeHandler.class, () -> (anonymous, user) -> {
		})
			.run((context) -> assertThat(ReflectionTestUtils
				.getField(ReflectionTestUtils.getField(context.getBean(LoginLogoutListener.class), "merge"), "handler"))
				.isSameAs(context.getBean(LoginMergeHandler.class)));
	}

	@Test
	void recordsAuditEventsInTheAuditEventRepositoryWhenThereIsOne() {
		this.contextRunner.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new).run((context) -> {
			assertThat(context).hasSingleBean(LiveAuditListener.class);
			LiveAuditEvent event = new LiveConnectionRejectedEvent("/live", "127.0.0.1", null, null,
					LiveConnectionRejectedEvent.Reason.UNAUTHENTICATED, null);
			context.publishEvent(event);
			assertThat(context.getBean(AuditEventRepository.class).find("anonymous", null, null)).singleElement()
				.satisfies((AuditEvent audit) -> {
					assertThat(audit.getType()).isEqualTo(LiveConnectionRejectedEvent.TYPE);
					assertThat(audit.getData()).containsEntry("reason", "UNAUTHENTICATED")
						.containsEntry("path", "/live")
						.containsEntry("remoteAddress", "127.0.0.1");
				});
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class SessionRepositoryConfiguration {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRevocationConfiguration {

		@Bean
		Revocations customRevocations() {
			return new ChannelRevocations((revocation) -> {
			});
		}

		@Bean
		RevocationChannel customChannel() {
			return (revocation) -> {
			};
		}

		@Bean
		ConnectionBindings customBindings() {
			return new ConnectionBindings();
		}

	}

}
