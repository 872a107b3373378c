package io.livesession.autoconfigure;

import java.time.Duration;
import java.util.HashMap;

import io.livesession.autoconfigure.actuate.LiveSessionHealthAutoConfiguration;
import io.livesession.autoconfigure.actuate.LiveSessionMetricsAutoConfiguration;
import io.livesession.autoconfigure.actuate.LiveSessionRedisHealthIndicator;
import io.livesession.delivery.SendPool;
import io.livesession.endpoint.ConnectionDrain;
import io.livesession.metrics.LiveMetrics;
import io.livesession.metrics.MicrometerLiveMetrics;
import io.livesession.test.RedisTestServer;
import io.livesession.websocket.AdmissionInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the send time limit, shutdown drain, metrics and health auto-configuration.
 */
class LiveSessionOperationsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class,
				LiveSessionMetricsAutoConfiguration.class, LiveSessionHealthAutoConfiguration.class));

	@Test
	void sendTimeLimitAndDrainHaveTheirDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			LiveSessionProperties properties = context.getBean(LiveSessionProperties.class);
			assertThat(properties.getSendTimeLimit()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getShutdown().getDrainRate()).isEqualTo(500);
			assertThat(context.getBean(SendPool.class).getSendTimeLimit()).isEqualTo(Duration.ofSeconds(10));
			ConnectionDrain drain = context.getBean(ConnectionDrain.class);
			assertThat(drain).hasFieldOrPropertyWithValue("drainRate", 500)
				.hasFieldOrPropertyWithValue("timeout", Duration.ofSeconds(30));
		});
	}

	@Test
	void appliesTheSendTimeLimitTheDrainRateAndThePhaseTimeout() {
		this.contextRunner
			.withPropertyValues("livesession.send-time-limit=3s", "livesession.shutdown.drain-rate=50",
					"spring.lifecycle.timeout-per-shutdown-phase=12s")
			.run((context) -> {
				assertThat(context.getBean(SendPool.class).getSendTimeLimit()).isEqualTo(Duration.ofSeconds(3));
				ConnectionDrain drain = context.getBean(ConnectionDrain.class);
				assertThat(drain).hasFieldOrPropertyWithValue("drainRate", 50)
					.hasFieldOrPropertyWithValue("timeout", Duration.ofSeconds(12));
			});
	}

	@Test
	void handshakesAreRefusedWith503OnceTheDrainHasStarted() {
		this.contextRunner.run((context) -> {
			HandlerMapping mapping = context.getBean("webSocketHandlerMapping", HandlerMapping.class);
			WebSocketHttpRequestHandler handler = (WebSocketHttpRequestHandler) ((WebSocketHandlerMapping) mapping)
				.getUrlMap()
				.get("/live");
			HandshakeInterceptor admission = handler.getHandshakeInterceptors()
				.stream()
				.filter(AdmissionInterceptor.class::isInstance)
				.findFirst()
				.orElseThrow();
			MockHttpServletResponse accepted = new MockHttpServletResponse();
			assertThat(admission.beforeHandshake(new ServletServerHttpRequest(new MockHttpServletRequest()),
					new ServletServerHttpResponse(accepted), null, new HashMap<>()))
				.isTrue();
			context.getBean(ConnectionDrain.class).stop();
			MockHttpServletResponse refused = new MockHttpServletResponse();
			ServletServerHttpResponse response = new ServletServerHttpResponse(refused);
			assertThat(admission.beforeHandshake(new ServletServerHttpRequest(new MockHttpServletRequest()), response,
					null, new HashMap<>()))
				.isFalse();
			response.flush();
			assertThat(refused.getStatus()).isEqualTo(503);
			assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
		});
	}

	@Test
	void recordsMetricsInTheMeterRegistryWhenThereIsOne() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class).run((context) -> {
			assertThat(context).getBean(LiveMetrics.class).isInstanceOf(MicrometerLiveMetrics.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("livesession.connections").tag("scope", "instance").gauge().value()).isZero();
			assertThat(meters.find("livesession.evictions").counters()).hasSize(2);
		});
	}

	@Test
	void recordsNoMetricsWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(LiveMetrics.class));
	}

	@Test
	void recordsNoMetricsWithoutMicrometer() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(LiveMetrics.class));
	}

	@Test
	void backsOffWhenUserDefinesLiveMetrics() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class, UserLiveMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBean(LiveMetrics.class)
				.isSameAs(context.getBean("customLiveMetrics")));
	}

	@Test
	void hasNoRedisHealthIndicatorInMemory() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(LiveSessionRedisHealthIndicator.class));
	}

	@Test
	void checksTheRedisLinkWhenOnRedisUnlessTurnedOff() {
		try (RedisTestServer redis = RedisTestServer.start()) {
			WebApplicationContextRunner onRedis = this.contextRunner
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
				.withPropertyValues("livesession.store=redis", "spring.data.redis.host=" + redis.host(),
						"spring.data.redis.port=" + redis.port());
			onRedis.run((context) -> {
				assertThat(context).hasBean("livesessionHealthIndicator");
				assertThat(context.getBean(LiveSessionRedisHealthIndicator.class).health(true).getStatus())
					.isEqualTo(Status.UP);
			});
			onRedis.withPropertyValues("management.health.livesession.enabled=false")
				.run((context) -> assertThat(context).doesNotHaveBean(LiveSessionRedisHealthIndicator.class));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLiveMetricsConfiguration {

		@Bean
		LiveMetrics customLiveMetrics() {
			return new LiveMetrics() {
			};
		}

	}

}
