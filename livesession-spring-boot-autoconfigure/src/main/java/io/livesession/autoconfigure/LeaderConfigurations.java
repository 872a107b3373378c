package io.livesession.autoconfigure;

import io.livesession.redis.RedisClusterLeader;
import io.livesession.redis.RedisDeliveryChannel;
import io.livesession.scheduling.ClusterLeader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@link ClusterLeader}: a lease on Redis when the group store is on Redis, otherwise
 * this instance alone. Imported in this order, like the store configurations, so Redis
 * wins when it is available.
 *
 * @author livesession
 * @since 0.1.0
 */
final class LeaderConfigurations {

	private LeaderConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnRedisStore
	static class RedisLeaderConfiguration {

		@Bean
		@ConditionalOnMissingBean(ClusterLeader.class)
		RedisClusterLeader liveClusterLeader(RedisConnectionFactory connectionFactory,
				ObjectProvider<RedisDeliveryChannel> channel, LiveSessionProperties properties) {
			return new RedisClusterLeader(connectionFactory, properties.getRedis().getKeyPrefix(),
					StoreConfigurations.RedisStoreConfiguration.instanceId(channel), properties.getLeader().getLease());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SingleInstanceLeaderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClusterLeader liveClusterLeader() {
			return ClusterLeader.singleInstance();
		}

	}

}
