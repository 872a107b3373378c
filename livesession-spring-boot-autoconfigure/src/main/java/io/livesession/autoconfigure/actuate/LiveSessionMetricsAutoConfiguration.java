package io.livesession.autoconfigure.actuate;

import io.livesession.ConnectionRegistry;
import io.livesession.Presence;
import io.livesession.autoconfigure.LiveSessionAutoConfiguration;
import io.livesession.metrics.LiveMetrics;
import io.livesession.metrics.MicrometerLiveMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

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

}
