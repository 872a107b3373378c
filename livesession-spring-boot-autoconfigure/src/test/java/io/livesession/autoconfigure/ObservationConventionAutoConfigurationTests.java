package io.livesession.autoconfigure;

import java.time.Instant;
import java.util.Set;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.LiveAction;
import io.livesession.LiveController;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.endpoint.LiveEndpoint;
import io.livesession.metrics.ActionObservationConvention;
import io.livesession.metrics.BroadcastObservationConvention;
import io.livesession.metrics.DefaultActionObservationConvention;
import io.livesession.metrics.DefaultBroadcastObservationConvention;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the observation conventions an application declares as beans.
 */
class ObservationConventionAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class))
		.withUserConfiguration(ObservationsConfiguration.class);

	@Test
	void withoutConventionBeansActionsAndBroadcastsAreObservedUnderTheDefaultNames() {
		this.contextRunner.run((context) -> {
			actionAndBroadcast(context);
			assertThat(context.getBean(TestObservationRegistry.class))
				.hasNumberOfObservationsWithNameEqualTo(DefaultActionObservationConvention.NAME, 1)
				.hasNumberOfObservationsWithNameEqualTo(DefaultBroadcastObservationConvention.NAME, 1);
		});
	}

	@Test
	void conventionBeansNameAndTagTheObservations() {
		this.contextRunner.withUserConfiguration(ConventionsConfiguration.class).run((context) -> {
			actionAndBroadcast(context);
			assertThat(context.getBean(TestObservationRegistry.class))
				.hasNumberOfObservationsWithNameEqualTo(DefaultActionObservationConvention.NAME, 0)
				.hasNumberOfObservationsWithNameEqualTo(DefaultBroadcastObservationConvention.NAME, 0)
				.hasObservationWithNameEqualTo("custom.action")
				.that()
				.hasLowCardinalityKeyValue("livesession.action", "ping");
			assertThat(context.getBean(TestObservationRegistry.class))
				.hasObservationWithNameEqualTo("custom.broadcast");
		});
	}

	private static void actionAndBroadcast(ApplicationContext context) {
		LiveEndpoint endpoint = context.getBean(LiveEndpoint.class);
		ConnectionInfo info = new ConnectionInfo("c1", null, "g1", null, Set.of(), null, Instant.now());
		ManagedConnection connection = Delivery.connection(info, new NullTransport(), Runnable::run, 1024 * 1024);
		endpoint.opened(connection);
		endpoint.received(connection, "{\"type\":\"action\",\"action\":\"ping\"}");
		context.getBean(Broadcaster.class).send(BroadcastTarget.all(), "hi");
	}

	@Configuration(proxyBeanMethods = false)
	static class ObservationsConfiguration {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

		@Bean
		PingActions pingActions() {
			return new PingActions();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConventionsConfiguration {

		@Bean
		ActionObservationConvention customActionConvention() {
			return new DefaultActionObservationConvention() {

				@Override
				public String getName() {
					return "custom.action";
				}

			};
		}

		@Bean
		BroadcastObservationConvention customBroadcastConvention() {
			return new DefaultBroadcastObservationConvention() {

				@Override
				public String getName() {
					return "custom.broadcast";
				}

			};
		}

	}

	@LiveController
	static class PingActions {

		@LiveAction("ping")
		String ping() {
			return "pong";
		}

	}

	private static final class NullTransport implements TransportSession {

		@Override
		public void send(Frame frame) {
		}

		@Override
		public void close(int code, String reason) {
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
