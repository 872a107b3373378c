package io.livesession.autoconfigure.actuate;

import io.livesession.redis.RedisDeliveryChannel;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Health of livesession's Redis link: UP when Redis answers a {@code PING} through the
 * connection factory livesession's group store and delivery channel use, DOWN otherwise.
 * Reported as {@code livesession} under Actuator's {@code health}.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveSessionRedisHealthIndicator extends AbstractHealthIndicator {

	private final RedisConnectionFactory connectionFactory;

	private final RedisDeliveryChannel channel;

	public LiveSessionRedisHealthIndicator(RedisConnectionFactory connectionFactory, RedisDeliveryChannel channel) {
		super("livesession Redis health check failed");
		this.connectionFactory = connectionFactory;
		this.channel = channel;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.withDetail("store", "redis")
			.withDetail("instance", this.channel.getInstanceId())
			.withDetail("published", this.channel.getPublishedCount());
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			String pong = connection.ping();
			builder.up().withDetail("ping", String.valueOf(pong));
		}
	}

}
