package io.livesession.autoconfigure;

import java.util.List;
import java.util.Set;

import io.livesession.UserGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.ConnectResolver;
import io.livesession.identity.UserResolver;
import io.livesession.revocation.CredentialsExpiry;
import io.livesession.revocation.DefaultUserErasure;
import io.livesession.revocation.UserErasure;
import io.livesession.websocket.LiveHandshakeInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the HTTP actions route, user erasure and credentials expiry in
 * {@link LiveSessionAutoConfiguration}.
 *
 * @author livesession
 */
class HttpActionsAndErasureAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void routesActionsUnderTheEndpointByDefault() {
		this.contextRunner.withPropertyValues("livesession.endpoint=/ws").run((context) -> {
			assertThat(context).hasSingleBean(ConnectResolver.class);
			SimpleUrlHandlerMapping mapping = context.getBean("liveActionsHandlerMapping",
					SimpleUrlHandlerMapping.class);
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/ws/actions/*");
		});
	}

	@Test
	void routesNoActionsWhenDisabled() {
		this.contextRunner.withPropertyValues("livesession.http-actions.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("liveActionsHandlerMapping"));
	}

	@Test
	void theHandshakeAndHttpActionsShareTheConnectResolver() {
		this.contextRunner.withUserConfiguration(UserConnectResolverConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ConnectResolver.class).hasSingleBean(LiveHandshakeInterceptor.class);
			assertThat(context.getBeanNamesForType(ConnectResolver.class)).containsExactly("customConnectResolver");
		});
	}

	@Test
	void erasesTheDefaultGroupResolversUserGroup() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(UserErasure.class).isInstanceOf(DefaultUserErasure.class);
			assertThat(context.getBean(UserGroups.class).groupIds("alice")).containsExactly("user:alice");
		});
	}

	@Test
	void backsOffWhenUserDefinesUserGroupsOrUserErasure() {
		this.contextRunner.withUserConfiguration(UserErasureConfiguration.class).run((context) -> {
			assertThat(context.getBeanNamesForType(UserGroups.class)).containsExactly("customUserGroups");
			assertThat(context.getBeanNamesForType(UserErasure.class)).containsExactly("customUserErasure");
		});
	}

	@Test
	void closesConnectionsWhenTheirOAuth2TokenExpiresWithSpringSecurityOAuth2() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(CredentialsExpiry.class));
	}

	@Test
	void createsNoCredentialsExpiryWithoutSpringSecurityOAuth2() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CredentialsExpiry.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectResolverConfiguration {

		@Bean
		ConnectResolver customConnectResolver(AnonymousCookies cookies, UserResolver users) {
			return new ConnectResolver(cookies, users, (request) -> "everyone", List.of(), false, (event) -> {
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserErasureConfiguration {

		@Bean
		UserGroups customUserGroups() {
			return (userId) -> Set.of("workspace:" + userId);
		}

		@Bean
		UserErasure customUserErasure() {
			return (userId) -> Set.of();
		}

	}

}
