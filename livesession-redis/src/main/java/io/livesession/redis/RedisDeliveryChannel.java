package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.delivery.DeliveryChannel;
import io.livesession.delivery.LocalDelivery;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link DeliveryChannel} across instances on Redis pub/sub: a broadcast is delivered to
 * this instance's connections at once and published once, its target as data; every other
 * instance matches the target against its own registry. Group {@code state} frames come
 * back to this instance through the subscription as well, so all instances deliver them
 * in commit order. Spring Data Redis's listener container resubscribes by itself after
 * Redis comes back. While Redis is unreachable, local delivery goes on and cross-instance
 * frames are lost; clients notice the version gap of state frames and resync.
 *
 * @author livesession
 */
public final class RedisDeliveryChannel implements DeliveryChannel, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisDeliveryChannel.class);

	private final LocalDelivery local;

	private final StringRedisTemplate redis;

	private final RedisMessageListenerContainer container;

	private final String channel;

	private final String instanceId;

	private final TargetCodec codec;

	private final Supplier<Set<String>> onlineUsers;

	private final Function<String, Frame> fullState;

	private final AtomicLong published = new AtomicLong();

	private final ExecutorService receiver;

	private volatile long lastFailureLog;

	/**
	 * Create a channel.
	 * @param connectionFactory the Redis connection factory
	 * @param local delivery to this instance's connections
	 * @param channel the pub/sub channel name
	 * @param instanceId this instance's id
	 * @param onlineUsers the user ids online in the cluster, to turn a user filter into
	 * data
	 * @param fullState a group's current full-state frame, for coalescing remote state
	 * frames
	 */
	public RedisDeliveryChannel(RedisConnectionFactory connectionFactory, LocalDelivery local, String channel,
			String instanceId, Supplier<Set<String>> onlineUsers, Function<String, Frame> fullState) {
		this.local = local;
		this.redis = new StringRedisTemplate(connectionFactory);
		this.channel = channel;
		this.instanceId = instanceId;
		this.codec = new TargetCodec(JsonMapper.builder().build());
		this.onlineUsers = onlineUsers;
		this.fullState = fullState;
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		this.container.setRecoveryBackoff(new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS));
		// One thread, in arrival order: the container's default runs each message on a
		// new
		// thread, which would reorder state frames.
		this.receiver = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "livesession-redis-receiver");
			thread.setDaemon(true);
			return thread;
		});
		this.container.setTaskExecutor(this.receiver::execute);
		this.container.addMessageListener(this::onMessage, new ChannelTopic(channel));
		this.container.afterPropertiesSet();
	}

	@Override
	public int publish(BroadcastTarget target, Frame frame) {
		if (target instanceof BroadcastTarget.Matching) {
			// A Java predicate cannot travel: it is evaluated on this instance only.
			return this.local.deliver(target, frame);
		}
		if (target instanceof BroadcastTarget.UserFilter filter) {
			// Evaluated here against the cluster's online users, then sent as plain data.
			target = new BroadcastTarget.Users(
					this.onlineUsers.get().stream().filter(filter.filter()).collect(Collectors.toSet()));
		}
		// State frames reach this instance through the subscription too, so that every
		// instance sees them in Redis's order, which is the commit order; other frames
		// are
		// delivered here at once and survive a Redis outage.
		int count = frame.isState() ? 0 : this.local.deliver(target, frame);
		try {
			this.redis.convertAndSend(this.channel, this.codec.encode(this.instanceId, target, frame));
			this.published.incrementAndGet();
		}
		catch (RuntimeException ex) {
			if (frame.isState()) {
				count = this.local.deliver(target, frame);
			}
			long now = System.currentTimeMillis();
			if (now - this.lastFailureLog > 10_000) {
				this.lastFailureLog = now;
				logger.warn("Cross-instance delivery failed, delivered on this instance only: " + ex.getMessage());
			}
		}
		return count;
	}

	private void onMessage(Message message, byte @Nullable [] pattern) {
		try {
			TargetCodec.Decoded decoded = this.codec.decode(new String(message.getBody(), StandardCharsets.UTF_8),
					this.fullState);
			if (!this.instanceId.equals(decoded.origin()) || decoded.frame().isState()) {
				this.local.deliver(decoded.target(), decoded.frame());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping an undecodable message on channel " + this.channel, ex);
		}
	}

	/**
	 * Messages published by this instance so far.
	 * @return the count
	 */
	public long getPublishedCount() {
		return this.published.get();
	}

	/**
	 * This instance's id.
	 * @return the id
	 */
	public String getInstanceId() {
		return this.instanceId;
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
		this.receiver.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

}
