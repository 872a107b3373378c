package io.livesession.autoconfigure.actuate;

import io.livesession.ConnectionRegistry;
import io.livesession.Presence;
import io.livesession.autoconfigure.LiveSessionAutoConfiguration;
import io.livesession.metrics.LiveMetrics;
import io.livesession.metrics.MicrometerLiveMetrics;
import io.livesession.redis.RedisDeliveryChannel;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for livesession's Micrometer meters (names under
 * {@code livesession.}), when a {@link MeterRegistry} bean exists. Observations of
 * actions and broadcasts need no configuration here: they use the
 * {@code ObservationRegistry} bean when there is one.
 *
 * @author livesession
 * @since 0.1.0
 */
@AutoConfiguration(after = LiveSessionAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ConnectionRegistry.class, Presence.class })
public final class LiveSessionMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LiveMetrics liveMetrics(MeterRegistry meters, ConnectionRegistry registry, Presence presence) {
		return new MicrometerLiveMetrics(meters, registry, presence);
	}

	/**
	 * The traffic of livesession's Redis delivery channel: what this instance receives
	 * from Redis shows what interest-based routing saves.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisDeliveryChannel.class)
	@ConditionalOnBean(RedisDeliveryChannel.class)
	static class RedisDeliveryMetricsConfiguration {

		@Bean
		MeterBinder liveRedisDeliveryMeters(RedisDeliveryChannel channel) {
			return (meters) -> {
				FunctionCounter
					.builder("livesession.redis.messages.received", channel, RedisDeliveryChannel::getReceivedCount)
					.description("Delivery messages this instance received from Redis")
					.register(meters);
				FunctionCounter
					.builder("livesession.redis.messages.published", channel, RedisDeliveryChannel::getPublishedCount)
					.description("Broadcasts this instance published to Redis")
					.register(meters);
				Gauge.builder("livesession.redis.channels.routed", channel, RedisDeliveryChannel::getRoutedChannelCount)
					.description("Channels of hosted users and groups this instance is subscribed to")
					.register(meters);
			};
		}

	}

}
