package io.livesession.redis;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link RedisPresence} and {@link RedisTopicPresence} share: this instance's
 * {@link PresenceShare}, counted at once, its {@link PresenceWriter}, reads that fall
 * back to the share while Redis cannot be reached, the subscription that turns the
 * scripts' {@link PresenceTransition transitions} into application events (with this bean
 * as their source), and the lifecycle: the writer runs from start to stop, the
 * subscription stays open until the bean is destroyed.
 *
 * @author livesession
 */
abstract class AbstractRedisPresence implements SmartLifecycle, DisposableBean {

	private final StringRedisTemplate redis;

	private final PresenceKeys keys;

	private final PresenceShare share = new PresenceShare();

	private final PresenceWriter writer;

	private final ChannelSubscription subscription;

	private final ApplicationEventPublisher publisher;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Log logger;

	AbstractRedisPresence(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			PresenceKeys keys, String channel, String instanceId, Duration heartbeat,
			ApplicationEventPublisher publisher, Log logger) {
		Assert.isTrue(heartbeat.toMillis() > 0, "'heartbeat' must be positive");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = keys;
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
			ApplicationEvent event = transition.toEvent(this);
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

	@Override
	public void start() {
		this.writer.start();
	}

	/**
	 * Remove this instance's share at once, so its connections leave the counts now
	 * rather than when its lease runs out.
	 */
	@Override
	public void stop() {
		this.writer.stop();
	}

	@Override
	public boolean isRunning() {
		return this.writer.isRunning();
	}

	@Override
	public void destroy() {
		stop();
		this.subscription.close();
	}

}
