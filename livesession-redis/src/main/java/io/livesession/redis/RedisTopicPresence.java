package io.livesession.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import io.livesession.LiveConnection;
import io.livesession.event.TopicPresenceEvent;
import io.livesession.topic.TopicPresence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * {@link TopicPresence} of the whole cluster in Redis, on the machinery of
 * {@link RedisPresence}: each instance counts its members in memory at once
 * ({@link PresenceShare}, a member being a {@code <topic> <userId>} pair and a topic
 * standing for a group) and one background thread writes its share next to the
 * cluster-wide totals with the presence scripts ({@link PresenceWriter}, in the
 * {@link PresenceKeys#topics topics layout}), renewing its lease every heartbeat and
 * sweeping the shares of crashed instances. A user's first join of a topic and last leave
 * in the cluster are found by those scripts and published on a channel of their own, in
 * the order they happened; every instance turns them into {@link TopicPresenceEvent}s.
 * While Redis cannot be reached, reads answer from this instance's members.
 *
 * <p>
 * Keys, all under {@code <prefix>{presence}:topics:} (one hash slot): {@code members}
 * (topic to connection count), {@code users:<topic>} (user id to connection count),
 * {@code instances} (leases) and each instance's share.
 *
 * @author livesession
 * @since 0.2.0
 */
public final class RedisTopicPresence implements TopicPresence, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisTopicPresence.class);

	private final StringRedisTemplate redis;

	private final ApplicationEventPublisher publisher;

	private final PresenceKeys keys;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final PresenceShare share = new PresenceShare();

	private final PresenceWriter writer;

	private final ChannelSubscription subscription;

	/**
	 * Create the presence of topics of one instance.
	 * @param connectionFactory the Redis connection factory
	 * @param listeners the listener container of livesession's channels
	 * ({@link RedisListenerContainers}); it must be running for this instance to hear
	 * presence events, its own included
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param channel the pub/sub channel of topic presence events, not the one of
	 * {@link RedisPresence}
	 * @param instanceId this instance's id, unique in the cluster
	 * @param heartbeat how often the instance renews its lease and sweeps expired ones
	 * @param publisher where presence events go
	 */
	public RedisTopicPresence(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			String keyPrefix, String channel, String instanceId, Duration heartbeat,
			ApplicationEventPublisher publisher) {
		Assert.isTrue(heartbeat.toMillis() > 0, "'heartbeat' must be positive");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.publisher = publisher;
		this.keys = PresenceKeys.topics(keyPrefix, instanceId);
		this.writer = new PresenceWriter(this.redis, this.keys, channel, instanceId, heartbeat, this.share,
				new ThrottledLog(logger));
		// One message at a time, in arrival order: a user's join and leave of a topic
		// must not overtake each other.
		this.subscription = ChannelSubscription.subscribe(listeners, channel, this::onMessage);
	}

	@Override
	public long getMemberCount(String topic) {
		return read(() -> {
			Object count = this.redis.opsForHash().get(this.keys.groups(), topic);
			return (count != null) ? Math.max(0, Long.parseLong((String) count)) : 0L;
		}, () -> (long) this.share.groupCount(topic));
	}

	@Override
	public Set<String> getMemberUserIds(String topic) {
		return read(() -> Set.copyOf(this.redis.<String, String>opsForHash().keys(this.keys.users() + topic)), () -> {
			String member = topic + " ";
			Set<String> userIds = new HashSet<>();
			this.share.userIds()
				.stream()
				.filter((id) -> id.startsWith(member))
				.forEach((id) -> userIds.add(id.substring(member.length())));
			return Set.copyOf(userIds);
		});
	}

	private <T> T read(Supplier<T> fromRedis, Supplier<T> fromThisInstance) {
		try {
			T value = fromRedis.get();
			return (value != null) ? value : fromThisInstance.get();
		}
		catch (RuntimeException ex) {
			this.writer.failed(ex);
			return fromThisInstance.get();
		}
	}

	@Override
	public void topicJoined(LiveConnection connection, String topic) {
		change(connection, topic, 1);
	}

	@Override
	public void topicLeft(LiveConnection connection, String topic) {
		change(connection, topic, -1);
	}

	private void change(LiveConnection connection, String topic, int delta) {
		String userId = connection.getUserId();
		this.share.change((userId != null) ? topic + " " + userId : null, topic, delta);
		this.writer.requestFlush();
	}

	private void onMessage(String message) {
		for (PresenceTransition transition : PresenceTransition.decode(this.mapper, message)) {
			ApplicationEvent event = transition.toEvent(this);
			if (event instanceof TopicPresenceEvent) {
				try {
					this.publisher.publishEvent(event);
				}
				catch (RuntimeException ex) {
					logger.warn("A listener of " + event + " failed", ex);
				}
			}
		}
	}

	@Override
	public void start() {
		this.writer.start();
	}

	/** Remove this instance's members from the counts at once. */
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
