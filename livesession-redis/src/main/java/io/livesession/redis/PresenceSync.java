package io.livesession.redis;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link RedisPresence} and {@link RedisTopicPresence} share: this instance's
 * {@link PresenceShare}, counted at once, its {@link PresenceWriter}, reads that fall
 * back to the share while Redis cannot be reached, and the subscription that turns the
 * scripts' {@link PresenceTransition transitions} into application events.
 *
 * @author livesession
 */
final class PresenceSync {

	private final StringRedisTemplate redis;

	private final PresenceKeys keys;

	private final PresenceShare share = new PresenceShare();

	private final PresenceWriter writer;

	private final ChannelSubscription subscription;

	private final Object source;

	private final ApplicationEventPublisher publisher;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Log logger;

	PresenceSync(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners, PresenceKeys keys,
			String channel, String instanceId, Duration heartbeat, Object source, ApplicationEventPublisher publisher,
			Log logger) {
		Assert.isTrue(heartbeat.toMillis() > 0, "'heartbeat' must be positive");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = keys;
		this.source = source;
		this.publisher = publisher;
		this.logger = logger;
		this.writer = new PresenceWriter(this.redis, keys, channel, instanceId, heartbeat, this.share,
				new ThrottledLog(logger));
		// The container hands this channel's messages over one at a time, in arrival
		// order: the events of one user must not overtake each other.
		this.subscription = ChannelSubscription.subscribe(listeners, channel, this::onMessage);
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	PresenceKeys keys() {
		return this.keys;
	}

	PresenceShare share() {
		return this.share;
	}

	/** Count a change at once; Redis catches up. See {@link PresenceShare#change}. */
	void change(@Nullable String userId, String groupId, int delta) {
		this.share.change(userId, groupId, delta);
		this.writer.requestFlush();
	}

	/**
	 * A read from Redis, or from this instance's own share while Redis cannot be reached.
	 */
	<T> T read(Supplier<@Nullable T> fromRedis, Supplier<T> fromThisInstance) {
		try {
			T value = fromRedis.get();
			return (value != null) ? value : fromThisInstance.get();
		}
		catch (RuntimeException ex) {
			this.writer.failed(ex);
			return fromThisInstance.get();
		}
	}

	private void onMessage(String message) {
		for (PresenceTransition transition : PresenceTransition.decode(this.mapper, message)) {
			ApplicationEvent event = transition.toEvent(this.source);
			if (event != null) {
				try {
					this.publisher.publishEvent(event);
				}
				catch (RuntimeException ex) {
					this.logger.warn("A listener of " + event + " failed", ex);
				}
			}
		}
	}

	void start() {
		this.writer.start();
	}

	void stop() {
		this.writer.stop();
	}

	boolean isRunning() {
		return this.writer.isRunning();
	}

	void destroy() {
		stop();
		this.subscription.close();
	}

}
