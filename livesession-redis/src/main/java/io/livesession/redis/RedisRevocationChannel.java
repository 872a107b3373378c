package io.livesession.redis;

import java.nio.charset.StandardCharsets;

import io.livesession.event.RevocationReason;
import io.livesession.revocation.LocalRevocations;
import io.livesession.revocation.Revocation;
import io.livesession.revocation.RevocationChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link RevocationChannel} across instances on Redis pub/sub, on a channel of its own
 * beside the delivery channel: a revocation is applied to this instance's connections at
 * once and published once; every other instance applies it to its own. While Redis is
 * unreachable only this instance is reached; the HTTP session check still closes the
 * connections of ended sessions elsewhere.
 *
 * @author livesession
 */
public final class RedisRevocationChannel implements RevocationChannel, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisRevocationChannel.class);

	private final LocalRevocations local;

	private final StringRedisTemplate redis;

	private final String channel;

	private final String instanceId;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ChannelSubscription subscription;

	/**
	 * Create a channel.
	 * @param connectionFactory the Redis connection factory
	 * @param listeners the listener container of livesession's channels
	 * ({@link RedisListenerContainers})
	 * @param local revocation on this instance
	 * @param channel the pub/sub channel name
	 * @param instanceId this instance's id
	 * @since 0.1.0
	 */
	public RedisRevocationChannel(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			LocalRevocations local, String channel, String instanceId) {
		this.local = local;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.channel = channel;
		this.instanceId = instanceId;
		this.subscription = ChannelSubscription.subscribe(listeners, channel, this::onMessage);
	}

	@Override
	public void publish(Revocation revocation) {
		this.local.revoke(revocation);
		try {
			this.redis.convertAndSend(this.channel, encode(revocation));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not publish a revocation to other instances (" + revocation.kind() + ", "
					+ revocation.reason() + "): " + ex.getMessage());
		}
	}

	String encode(Revocation revocation) {
		return new RevocationMessage(this.instanceId, revocation).encode(this.mapper);
	}

	private void onMessage(String message) {
		RevocationMessage decoded = RevocationMessage.decode(this.mapper, message);
		if (!this.instanceId.equals(decoded.origin())) {
			this.local.revoke(decoded.revocation());
		}
	}

	@Override
	public void destroy() {
		this.subscription.close();
	}

}
