package io.livesession.redis;

import java.nio.charset.StandardCharsets;

import io.livesession.event.RevocationReason;
import io.livesession.revocation.LocalRevocations;
import io.livesession.revocation.Revocation;
import io.livesession.revocation.RevocationChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link RevocationChannel} across instances on Redis pub/sub, on a channel of its own
 * beside the delivery channel: a revocation is applied to this instance's connections at
 * once and published once; every other instance applies it to its own. While Redis is
 * unreachable only this instance is reached; the HTTP session check still closes the
 * connections of ended sessions elsewhere.
 *
 * @author livesession
 */
public final class RedisRevocationChannel implements RevocationChannel, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisRevocationChannel.class);

	private final LocalRevocations local;

	private final StringRedisTemplate redis;

	private final RedisMessageListenerContainer container;

	private final String channel;

	private final String instanceId;

	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Create a channel.
	 * @param connectionFactory the Redis connection factory
	 * @param local revocation on this instance
	 * @param channel the pub/sub channel name
	 * @param instanceId this instance's id
	 */
	public RedisRevocationChannel(RedisConnectionFactory connectionFactory, LocalRevocations local, String channel,
			String instanceId) {
		this.local = local;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.channel = channel;
		this.instanceId = instanceId;
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		this.container.setRecoveryBackoff(new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS));
		this.container.addMessageListener(this::onMessage, new ChannelTopic(channel));
		this.container.afterPropertiesSet();
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
		ObjectNode message = this.mapper.createObjectNode();
		message.put("o", this.instanceId);
		message.put("k", revocation.kind().name());
		message.put("id", revocation.id());
		message.put("r", revocation.reason().name());
		if (revocation.exceptUserId() != null) {
			message.put("x", revocation.exceptUserId());
		}
		return this.mapper.writeValueAsString(message);
	}

	private void onMessage(Message message, byte @Nullable [] pattern) {
		try {
			JsonNode node = this.mapper.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
			if (this.instanceId.equals(node.path("o").asString())) {
				return;
			}
			JsonNode except = node.get("x");
			this.local.revoke(new Revocation(Revocation.Kind.valueOf(node.path("k").asString()),
					node.path("id").asString(), RevocationReason.valueOf(node.path("r").asString()),
					(except != null && except.isString()) ? except.asString() : null));
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping an undecodable message on channel " + this.channel, ex);
		}
	}

	@Override
	public void start() {
		this.container.start();
	}

	@Override
	public void stop() {
		this.container.stop();
	}

	@Override
	public void destroy() throws Exception {
		this.container.destroy();
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

}
