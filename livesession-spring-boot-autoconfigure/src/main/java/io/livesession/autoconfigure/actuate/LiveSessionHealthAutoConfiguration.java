package io.livesession.autoconfigure.actuate;

import io.livesession.autoconfigure.LiveSessionAutoConfiguration;
import io.livesession.redis.LiveRedisConnections;
import io.livesession.redis.RedisDeliveryChannel;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@code livesession} health indicator, present when
 * livesession runs on Redis. {@code management.health.livesession.enabled=false} turns it
 * off.
 *
 * @author livesession
 * @since 0.1.0
 */
@AutoConfiguration(after = LiveSessionAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, RedisDeliveryChannel.class, RedisConnectionFactory.class })
@ConditionalOnBean({ RedisDeliveryChannel.class, RedisConnectionFactory.class })
@ConditionalOnEnabledHealthIndicator("livesession")
public final class LiveSessionHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "livesessionHealthIndicator")
	LiveSessionRedisHealthIndicator livesessionHealthIndicator(RedisConnectionFactory connectionFactory,
			ObjectProvider<LiveRedisConnections> connections, RedisDeliveryChannel channel) {
		// livesession's own, bounded connections when there are: the health check must
		// answer DOWN within the command timeout, not the application's Redis timeout.
		LiveRedisConnections own = connections.getIfAvailable();
		return new LiveSessionRedisHealthIndicator((own != null) ? own.getConnectionFactory() : connectionFactory,
				channel);
	}

}
