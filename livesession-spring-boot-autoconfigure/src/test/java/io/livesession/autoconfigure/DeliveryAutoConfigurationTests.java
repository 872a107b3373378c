package io.livesession.autoconfigure;

import java.time.Duration;

import io.livesession.delivery.Heartbeats;
import io.livesession.delivery.SendPool;
import io.livesession.websocket.LiveHandshakeHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery beans: send pool, heartbeats and handshake handler, with the shipped
 * defaults and replaced.
 */
class DeliveryAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void heartbeatsPingEvery25SecondsAndCloseAfter20SecondsWithoutAnAnswerByDefault() {
		this.contextRunner.run((context) -> {
			Heartbeats heartbeats = context.getBean(Heartbeats.class);
			assertThat(heartbeats.isEnabled()).isTrue();
			assertThat(heartbeats.getInterval()).isEqualTo(Duration.ofSeconds(25));
			assertThat(heartbeats.getTimeout()).isEqualTo(Duration.ofSeconds(20));
			assertThat(context.getBean(SendPool.class).getCloseGracePeriod()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void anIntervalOfZeroTurnsHeartbeatsOff() {
		this.contextRunner.withPropertyValues("livesession.heartbeat.interval=0")
			.run((context) -> assertThat(context.getBean(Heartbeats.class).isEnabled()).isFalse());
	}

	@Test
	void theHandshakeHandlerIsALiveHandshakeHandlerThatAnApplicationMayReplace() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(LiveHandshakeHandler.class));
		this.contextRunner.withUserConfiguration(CustomHandshake.class).run((context) -> {
			assertThat(context).hasSingleBean(LiveHandshakeHandler.class);
			assertThat(context.getBean(LiveHandshakeHandler.class)).isSameAs(CustomHandshake.HANDLER);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomHandshake {

		static final LiveHandshakeHandler HANDLER = new LiveHandshakeHandler();

		@Bean
		LiveHandshakeHandler customHandshakeHandler() {
			return HANDLER;
		}

	}

}
