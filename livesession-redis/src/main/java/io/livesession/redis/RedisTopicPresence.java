package io.livesession.redis;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import io.livesession.LiveConnection;
import io.livesession.event.TopicPresenceEvent;
import io.livesession.topic.TopicPresence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * {@link TopicPresence} of the whole cluster in Redis, on the machinery of
 * {@link RedisPresence} ({@link AbstractRedisPresence}): each instance counts its members
 * in memory at once, a member being a {@code <topic> <userId>} pair and a topic standing
 * for a group, and one background thread writes its share next to the cluster-wide totals
 * with the presence scripts in their {@link PresenceKeys#topics topics layout}, renewing
 * its own lease every heartbeat and sweeping the shares of crashed instances. A user's
 * first join of a topic and last leave in the cluster are found by those scripts and
 * published on a channel of their own, in the order they happened; every instance turns
 * them into {@link TopicPresenceEvent}s. While Redis cannot be reached, reads answer from
 * this instance's members.
 *
 * <p>
 * Keys, all under {@code <prefix>{presence}:topics:} (one hash slot): {@code members}
 * (topic to connection count), {@code users:<topic>} (user id to connection count),
 * {@code instances} (leases) and each instance's share.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisTopicPresence extends AbstractRedisPresence implements TopicPresence {

	private static final Log logger = LogFactory.getLog(RedisTopicPresence.class);

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
		super(connectionFactory, listeners, PresenceKeys.topics(keyPrefix, instanceId), channel, instanceId, heartbeat,
				publisher, logger);
	}

	@Override
	public long getMemberCount(String topic) {
		return read(() -> {
			Object count = redis().opsForHash().get(keys().groups(), topic);
			return (count != null) ? Math.max(0, Long.parseLong((String) count)) : 0L;
		}, () -> (long) share().groupCount(topic));
	}

	@Override
	public Set<String> getMemberUserIds(String topic) {
		return read(() -> Set.copyOf(redis().<String, String>opsForHash().keys(keys().users() + topic)), () -> {
			// Only while Redis is unreachable: a scan of this instance's members.
			String member = topic + " ";
			return share().userIds()
				.stream()
				.filter((id) -> id.startsWith(member))
				.map((id) -> id.substring(member.length()))
				.collect(Collectors.toUnmodifiableSet());
		});
	}

	@Override
	public void topicJoined(LiveConnection connection, String topic) {
		change(member(topic, connection.getUserId()), topic, 1);
	}

	@Override
	public void topicLeft(LiveConnection connection, String topic) {
		change(member(topic, connection.getUserId()), topic, -1);
	}

	/**
	 * A member as the presence scripts count it, {@code <topic> <userId>} (a topic name
	 * has no space), or {@code null} for an anonymous connection, which is counted but
	 * not listed.
	 */
	private static @Nullable String member(String topic, @Nullable String userId) {
		return (userId != null) ? topic + " " + userId : null;
	}

}
