package io.livesession.redis;

import java.time.Duration;
import java.util.Set;

import io.livesession.LiveConnection;
import io.livesession.Presence;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.registry.RegistryListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * {@link Presence} of the whole cluster in Redis. Each instance writes its own share (its
 * users, groups and connection count) next to cluster-wide totals, and both change
 * together in one Lua script, so the totals are always the sum of the live shares.
 *
 * <p>
 * A user's first connection and last disconnection in the cluster, and a group's, are
 * found by those scripts, which publish them on a pub/sub channel in the order they
 * happened; every instance turns them into {@link UserConnectedEvent},
 * {@link UserDisconnectedEvent}, {@link GroupOpenedEvent} and {@link GroupClosedEvent}
 * application events.
 *
 * <p>
 * <strong>Crashed instances.</strong> Every heartbeat an instance renews its lease of
 * three heartbeats, and removes the share of every instance whose lease ran out,
 * publishing the resulting last disconnections. An instance that stops without a clean
 * shutdown therefore leaves the counts at most four heartbeats after its last one (20
 * seconds with the default of 5 seconds), as long as another instance that started before
 * it died keeps running; otherwise the next one to start removes it about a lease after
 * it started. An instance sweeps only once it has written to Redis successfully for a
 * whole lease, so that after a Redis outage the others can renew their leases before any
 * is taken for expired. A clean stop removes the instance's share immediately.
 *
 * <p>
 * <strong>Redis failures</strong> never reach the endpoint: connections are counted in
 * memory at once and written to Redis by one background thread, coalesced, so a burst of
 * connections costs a few round trips. While Redis is unreachable the cluster-wide counts
 * are stale and reads answer from this instance's own connections; the changes are
 * written, and their events published, once Redis answers again. An instance that was
 * unreachable for longer than its lease loses its share to the other instances' sweep and
 * writes it again when it is back.
 *
 * <p>
 * Keys, all under {@code <prefix>{presence}:} (one hash slot, which Redis Cluster
 * requires of the keys one script uses): {@code users} and {@code groups} (hashes of id
 * to connection count), {@code connections} (a counter), {@code instances} (a sorted set
 * of instance id to lease expiry), and {@code instance:<id>:users}, {@code :groups} and
 * {@code :connections}, each instance's share (see {@link PresenceKeys}).
 *
 * <p>
 * The jobs are split: {@link PresenceShare} counts, {@link PresenceWriter} writes,
 * {@link PresenceTransition} is the message format, {@link AbstractRedisPresence}, the
 * base class shared with {@link RedisTopicPresence}, holds them together; the scripts are
 * {@code presence-sync.lua} and {@code presence-remove.lua}.
 *
 * @author livesession
 */
public final class RedisPresence extends AbstractRedisPresence implements Presence, RegistryListener {

	private static final Log logger = LogFactory.getLog(RedisPresence.class);

	/** How many heartbeats an instance's lease lasts. */
	static final int LEASE_HEARTBEATS = 3;

	private final String instanceId;

	/**
	 * Create the presence of one instance.
	 * @param connectionFactory the Redis connection factory
	 * @param listeners the listener container of livesession's channels
	 * ({@link RedisListenerContainers}); it must be running for this instance to hear
	 * presence events, its own included
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param channel the pub/sub channel of presence events
	 * @param instanceId this instance's id, unique in the cluster
	 * @param heartbeat how often the instance renews its lease and sweeps expired ones
	 * @param publisher where presence events go
	 * @since 0.1.0
	 */
	public RedisPresence(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			String keyPrefix, String channel, String instanceId, Duration heartbeat,
			ApplicationEventPublisher publisher) {
		super(connectionFactory, listeners, PresenceKeys.of(keyPrefix, instanceId), channel, instanceId, heartbeat,
				publisher, logger);
		this.instanceId = instanceId;
	}

	// Reads: from Redis, or from this instance's own share while Redis cannot be reached.

	@Override
	public boolean isClusterWide() {
		return true;
	}

	@Override
	public long getConnectionCount() {
		return read(() -> {
			String count = redis().opsForValue().get(keys().connections());
			return (count != null) ? Math.max(0, Long.parseLong(count)) : 0L;
		}, share()::connectionCount);
	}

	@Override
	public long getUserCount() {
		return read(() -> redis().opsForHash().size(keys().users()), () -> (long) share().userIds().size());
	}

	@Override
	public long getGroupCount() {
		return read(() -> redis().opsForHash().size(keys().groups()), () -> (long) share().groupIds().size());
	}

	@Override
	public boolean isOnline(String userId) {
		return read(() -> redis().opsForHash().hasKey(keys().users(), userId),
				() -> share().userIds().contains(userId));
	}

	@Override
	public Set<String> getOnlineUserIds() {
		return read(() -> Set.copyOf(redis().<String, String>opsForHash().keys(keys().users())),
				() -> Set.copyOf(share().userIds()));
	}

	// Changes: counted at once, written by the writer.

	@Override
	public void connectionRegistered(LiveConnection connection) {
		change(connection.getUserId(), connection.getGroupId(), 1);
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		change(connection.getUserId(), connection.getGroupId(), -1);
	}

	/**
	 * This instance's id.
	 * @return the id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

}
