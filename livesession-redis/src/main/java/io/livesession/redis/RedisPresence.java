package io.livesession.redis;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import io.livesession.LiveConnection;
import io.livesession.Presence;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.registry.RegistryListener;
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
 * {@link PresenceTransition} is the message format; the scripts are
 * {@code presence-sync.lua} and {@code presence-remove.lua}.
 *
 * @author livesession
 */
public final class RedisPresence implements Presence, RegistryListener, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisPresence.class);

	/** How many heartbeats an instance's lease lasts. */
	static final int LEASE_HEARTBEATS = 3;

	private final StringRedisTemplate redis;

	private final ApplicationEventPublisher publisher;

	private final String instanceId;

	private final PresenceKeys keys;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final PresenceShare share = new PresenceShare();

	private final PresenceWriter writer;

	private final ChannelSubscription subscription;

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
		Assert.isTrue(heartbeat.toMillis() > 0, "'heartbeat' must be positive");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.publisher = publisher;
		this.instanceId = instanceId;
		this.keys = PresenceKeys.of(keyPrefix, instanceId);
		this.writer = new PresenceWriter(this.redis, this.keys, channel, instanceId, heartbeat, this.share,
				new ThrottledLog(logger));
		// The container hands this channel's messages over one at a time, in arrival
		// order: the events of one user must not overtake each other.
		this.subscription = ChannelSubscription.subscribe(listeners, channel, this::onMessage);
	}

	// Reads: from Redis, or from this instance's own share while Redis cannot be reached.

	@Override
	public boolean isClusterWide() {
		return true;
	}

	@Override
	public long getConnectionCount() {
		return read(() -> {
			String count = this.redis.opsForValue().get(this.keys.connections());
			return (count != null) ? Math.max(0, Long.parseLong(count)) : 0L;
		}, this.share::connectionCount);
	}

	@Override
	public long getUserCount() {
		return read(() -> this.redis.opsForHash().size(this.keys.users()), () -> (long) this.share.userIds().size());
	}

	@Override
	public long getGroupCount() {
		return read(() -> this.redis.opsForHash().size(this.keys.groups()), () -> (long) this.share.groupIds().size());
	}

	@Override
	public boolean isOnline(String userId) {
		return read(() -> this.redis.opsForHash().hasKey(this.keys.users(), userId),
				() -> this.share.userIds().contains(userId));
	}

	@Override
	public Set<String> getOnlineUserIds() {
		return read(() -> Set.copyOf(this.redis.<String, String>opsForHash().keys(this.keys.users())),
				() -> Set.copyOf(this.share.userIds()));
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

	// Changes: counted at once, written by the writer.

	@Override
	public void connectionRegistered(LiveConnection connection) {
		this.share.change(connection, 1);
		this.writer.requestFlush();
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		this.share.change(connection, -1);
		this.writer.requestFlush();
	}

	// Events

	private void onMessage(String message) {
		for (PresenceTransition transition : PresenceTransition.decode(this.mapper, message)) {
			ApplicationEvent event = transition.toEvent(this);
			if (event != null) {
				publish(event);
			}
		}
	}

	private void publish(ApplicationEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event + " failed", ex);
		}
	}

	/**
	 * This instance's id.
	 * @return the id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

	// Lifecycle

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
