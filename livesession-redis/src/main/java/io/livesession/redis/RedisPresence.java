package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.livesession.LiveConnection;
import io.livesession.Presence;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.registry.RegistryListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.JsonNode;
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
 * {@code :connections}, each instance's share.
 *
 * @author livesession
 */
public final class RedisPresence implements Presence, RegistryListener, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisPresence.class);

	/** How many heartbeats an instance's lease lasts. */
	static final int LEASE_HEARTBEATS = 3;

	/**
	 * Most ids written by one script call: Redis runs a script alone, so one call must
	 * stay short even when a large share is written again as a whole.
	 */
	private static final int BATCH = 1000;

	/*
	 * Writes this instance's share of the given ids (absolute counts, so a retry after a
	 * failure is harmless), adjusts the totals by the difference, renews the lease and
	 * publishes the 0->1 and 1->0 transitions of the totals. Redis's own clock is the
	 * only one, so instances with skewed clocks cannot expire each other. Returns 0 if
	 * the instance had no lease: it is new, or was swept while unreachable, and must
	 * write all of its share again.
	 */
	private static final RedisScript<Long> SYNC = new DefaultRedisScript<>("""
			if redis.replicate_commands then redis.replicate_commands() end
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local present = redis.call('ZSCORE', KEYS[1], ARGV[2])
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
			local events = {}
			local function apply(total, own, id, count, up, down)
				local old = tonumber(redis.call('HGET', own, id) or '0')
				if count == old then return end
				if count > 0 then redis.call('HSET', own, id, count) else redis.call('HDEL', own, id) end
				local after = redis.call('HINCRBY', total, id, count - old)
				local before = after - (count - old)
				if after <= 0 then redis.call('HDEL', total, id) end
				if before <= 0 and after > 0 then
					events[#events + 1] = up
					events[#events + 1] = id
				elseif before > 0 and after <= 0 then
					events[#events + 1] = down
					events[#events + 1] = id
				end
			end
			local i = 6
			for n = 1, tonumber(ARGV[5]) do
				apply(KEYS[2], KEYS[5], ARGV[i], tonumber(ARGV[i + 1]), 'u+', 'u-')
				i = i + 2
			end
			while i < #ARGV do
				apply(KEYS[3], KEYS[6], ARGV[i], tonumber(ARGV[i + 1]), 'g+', 'g-')
				i = i + 2
			end
			if ARGV[4] ~= '' then
				local count = tonumber(ARGV[4])
				local old = tonumber(redis.call('GET', KEYS[7]) or '0')
				if count ~= old then
					redis.call('SET', KEYS[7], count)
					redis.call('INCRBY', KEYS[4], count - old)
				end
			end
			if #events > 0 then redis.call('PUBLISH', ARGV[1], cjson.encode(events)) end
			if present then return 1 end
			return 0
			""", Long.class);

	/*
	 * Removes the share of one instance (a clean stop) or of every instance whose lease
	 * ran out (the sweep) from the totals and publishes the resulting 1->0 transitions.
	 */
	private static final RedisScript<Long> REMOVE = new DefaultRedisScript<>("""
			if redis.replicate_commands then redis.replicate_commands() end
			local ids
			if ARGV[3] ~= '' then
				ids = { ARGV[3] }
			else
				local time = redis.call('TIME')
				local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
				ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now))
			end
			local events = {}
			local function drop(total, own, down)
				local entries = redis.call('HGETALL', own)
				for i = 1, #entries, 2 do
					local count = tonumber(entries[i + 1])
					local after = redis.call('HINCRBY', total, entries[i], -count)
					if after <= 0 then
						redis.call('HDEL', total, entries[i])
						if after + count > 0 then
							events[#events + 1] = down
							events[#events + 1] = entries[i]
						end
					end
				end
				redis.call('DEL', own)
			end
			for _, id in ipairs(ids) do
				local own = ARGV[2] .. id
				drop(KEYS[2], own .. ':users', 'u-')
				drop(KEYS[3], own .. ':groups', 'g-')
				local count = tonumber(redis.call('GET', own .. ':connections') or '0')
				if count ~= 0 then redis.call('DECRBY', KEYS[4], count) end
				redis.call('DEL', own .. ':connections')
				redis.call('ZREM', KEYS[1], id)
			end
			if #events > 0 then redis.call('PUBLISH', ARGV[1], cjson.encode(events)) end
			return #ids
			""", Long.class);

	private final StringRedisTemplate redis;

	private final ApplicationEventPublisher publisher;

	private final String channel;

	private final String instanceId;

	private final Duration heartbeat;

	private final String usersKey;

	private final String groupsKey;

	private final String connectionsKey;

	private final String sharePrefix;

	private final List<String> syncKeys;

	private final List<String> removeKeys;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final RedisMessageListenerContainer container;

	private final ExecutorService receiver;

	// This instance's share, always current; Redis catches up with it.

	private final Map<String, Integer> users = new ConcurrentHashMap<>();

	private final Map<String, Integer> groups = new ConcurrentHashMap<>();

	private final AtomicLong connections = new AtomicLong();

	// What changed since it was last written to Redis.

	private final Set<String> dirtyUsers = ConcurrentHashMap.newKeySet();

	private final Set<String> dirtyGroups = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean dirtyConnections = new AtomicBoolean();

	private final AtomicBoolean flushQueued = new AtomicBoolean();

	private volatile @Nullable ScheduledExecutorService writer;

	private volatile boolean running;

	private volatile long lastFailureLog;

	/**
	 * When the current run of successful writes began, or -1 after a failure. Only the
	 * writer thread uses it.
	 */
	private long healthySince = -1;

	/**
	 * Create the presence of one instance.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param channel the pub/sub channel of presence events
	 * @param instanceId this instance's id, unique in the cluster
	 * @param heartbeat how often the instance renews its lease and sweeps expired ones
	 * @param publisher where presence events go
	 */
	public RedisPresence(RedisConnectionFactory connectionFactory, String keyPrefix, String channel, String instanceId,
			Duration heartbeat, ApplicationEventPublisher publisher) {
		Assert.isTrue(heartbeat.toMillis() > 0, "'heartbeat' must be positive");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.publisher = publisher;
		this.channel = channel;
		this.instanceId = instanceId;
		this.heartbeat = heartbeat;
		String base = keyPrefix + "{presence}:";
		String instances = base + "instances";
		this.usersKey = base + "users";
		this.groupsKey = base + "groups";
		this.connectionsKey = base + "connections";
		this.sharePrefix = base + "instance:";
		String share = this.sharePrefix + instanceId;
		this.syncKeys = List.of(instances, this.usersKey, this.groupsKey, this.connectionsKey, share + ":users",
				share + ":groups", share + ":connections");
		this.removeKeys = List.of(instances, this.usersKey, this.groupsKey, this.connectionsKey);
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		this.container.setRecoveryBackoff(new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS));
		// One thread, in arrival order: the events of one user must not overtake each
		// other.
		this.receiver = Executors.newSingleThreadExecutor((task) -> daemon(task, "livesession-presence-events"));
		this.container.setTaskExecutor(this.receiver::execute);
		this.container.addMessageListener(this::onMessage, new ChannelTopic(channel));
		this.container.afterPropertiesSet();
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	// Reads

	@Override
	public boolean isClusterWide() {
		return true;
	}

	@Override
	public long getConnectionCount() {
		try {
			String count = this.redis.opsForValue().get(this.connectionsKey);
			return (count != null) ? Math.max(0, Long.parseLong(count)) : 0;
		}
		catch (RuntimeException ex) {
			logFailure(ex);
			return this.connections.get();
		}
	}

	@Override
	public long getUserCount() {
		try {
			Long count = this.redis.opsForHash().size(this.usersKey);
			return (count != null) ? count : 0;
		}
		catch (RuntimeException ex) {
			logFailure(ex);
			return this.users.size();
		}
	}

	@Override
	public long getGroupCount() {
		try {
			Long count = this.redis.opsForHash().size(this.groupsKey);
			return (count != null) ? count : 0;
		}
		catch (RuntimeException ex) {
			logFailure(ex);
			return this.groups.size();
		}
	}

	@Override
	public boolean isOnline(String userId) {
		try {
			return Boolean.TRUE.equals(this.redis.opsForHash().hasKey(this.usersKey, userId));
		}
		catch (RuntimeException ex) {
			logFailure(ex);
			return this.users.containsKey(userId);
		}
	}

	@Override
	public Set<String> getOnlineUserIds() {
		try {
			return Set.copyOf(this.redis.<String, String>opsForHash().keys(this.usersKey));
		}
		catch (RuntimeException ex) {
			logFailure(ex);
			return Set.copyOf(this.users.keySet());
		}
	}

	// Changes

	@Override
	public void connectionRegistered(LiveConnection connection) {
		change(connection, 1);
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		change(connection, -1);
	}

	private void change(LiveConnection connection, int delta) {
		// Count first, then mark: the writer unmarks before it reads the count, so it
		// either sees this change or is marked to write it again.
		String userId = connection.getUserId();
		if (userId != null) {
			this.users.compute(userId, (id, count) -> positive(count, delta));
			this.dirtyUsers.add(userId);
		}
		this.groups.compute(connection.getGroupId(), (id, count) -> positive(count, delta));
		this.dirtyGroups.add(connection.getGroupId());
		this.connections.addAndGet(delta);
		this.dirtyConnections.set(true);
		requestFlush();
	}

	private static @Nullable Integer positive(@Nullable Integer count, int delta) {
		int next = ((count != null) ? count : 0) + delta;
		return (next > 0) ? next : null;
	}

	private void requestFlush() {
		ScheduledExecutorService writer = this.writer;
		if (writer != null && this.flushQueued.compareAndSet(false, true)) {
			try {
				writer.execute(() -> flush(false));
			}
			catch (RejectedExecutionException ex) {
				// Stopping: the share is removed as a whole.
				this.flushQueued.set(false);
			}
		}
	}

	/**
	 * Write what changed to Redis. Runs on the writer thread only.
	 * @param always whether to renew the lease even if nothing changed
	 * @return {@code false} if Redis could not be reached
	 */
	private boolean flush(boolean always) {
		this.flushQueued.set(false);
		if (!this.running) {
			return false;
		}
		List<String> changedUsers = drain(this.dirtyUsers, BATCH);
		List<String> changedGroups = drain(this.dirtyGroups, BATCH - changedUsers.size());
		boolean connectionsChanged = this.dirtyConnections.getAndSet(false);
		if (!always && changedUsers.isEmpty() && changedGroups.isEmpty() && !connectionsChanged) {
			return true;
		}
		List<String> args = new ArrayList<>(5 + 2 * (changedUsers.size() + changedGroups.size()));
		args.add(this.channel);
		args.add(this.instanceId);
		args.add(String.valueOf(lease().toMillis()));
		args.add(connectionsChanged ? String.valueOf(Math.max(0, this.connections.get())) : "");
		args.add(String.valueOf(changedUsers.size()));
		addCounts(args, changedUsers, this.users);
		addCounts(args, changedGroups, this.groups);
		Long present;
		try {
			present = this.redis.execute(SYNC, this.syncKeys, args.toArray());
		}
		catch (RuntimeException ex) {
			// Written again with the next change or heartbeat.
			this.dirtyUsers.addAll(changedUsers);
			this.dirtyGroups.addAll(changedGroups);
			if (connectionsChanged) {
				this.dirtyConnections.set(true);
			}
			this.healthySince = -1;
			logFailure(ex);
			return false;
		}
		if (this.healthySince < 0) {
			this.healthySince = System.nanoTime();
		}
		if (present != null && present == 0) {
			// New, or swept while unreachable: the share in Redis is gone or partial.
			markAllDirty();
		}
		if (!this.dirtyUsers.isEmpty() || !this.dirtyGroups.isEmpty() || this.dirtyConnections.get()) {
			// The rest in another task, behind a heartbeat that may be waiting.
			requestFlush();
		}
		return true;
	}

	private Duration lease() {
		return this.heartbeat.multipliedBy(LEASE_HEARTBEATS);
	}

	private static List<String> drain(Set<String> dirty, int limit) {
		List<String> ids = new ArrayList<>();
		for (String id : dirty) {
			if (ids.size() >= limit) {
				break;
			}
			if (dirty.remove(id)) {
				ids.add(id);
			}
		}
		return ids;
	}

	private static void addCounts(List<String> args, List<String> ids, Map<String, Integer> counts) {
		for (String id : ids) {
			args.add(id);
			args.add(String.valueOf(counts.getOrDefault(id, 0)));
		}
	}

	private void markAllDirty() {
		this.dirtyUsers.addAll(this.users.keySet());
		this.dirtyGroups.addAll(this.groups.keySet());
		this.dirtyConnections.set(true);
	}

	private void listen() {
		try {
			this.container.start();
		}
		catch (RuntimeException ex) {
			// Redis is down: try again with the next heartbeat. Once subscribed, the
			// container resubscribes by itself.
			logFailure(ex);
		}
	}

	private void beat() {
		// Here rather than in start(), which must not wait for Redis; and before the
		// first write, so that this instance hears the events its own writes publish.
		if (!this.container.isRunning()) {
			listen();
		}
		// Sweep only after a lease of successful writes: when Redis comes back after an
		// outage, every lease looks expired, and the other instances need one heartbeat
		// to renew theirs before anyone's may be taken for a crash.
		if (!flush(true) || System.nanoTime() - this.healthySince < lease().toNanos()) {
			return;
		}
		try {
			Long swept = this.redis.execute(REMOVE, this.removeKeys, this.channel, this.sharePrefix, "");
			if (swept != null && swept > 0) {
				logger.info("Removed the presence of " + swept + " instance(s) whose lease expired");
			}
		}
		catch (RuntimeException ex) {
			logFailure(ex);
		}
	}

	private void removeShare() {
		try {
			this.redis.execute(REMOVE, this.removeKeys, this.channel, this.sharePrefix, this.instanceId);
		}
		catch (RuntimeException ex) {
			logFailure(ex);
		}
	}

	// Events

	private void onMessage(Message message, byte @Nullable [] pattern) {
		JsonNode transitions;
		try {
			transitions = this.mapper.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping an undecodable message on channel " + this.channel, ex);
			return;
		}
		for (int i = 0; i + 1 < transitions.size(); i += 2) {
			String id = transitions.get(i + 1).asString();
			ApplicationEvent event = switch (transitions.get(i).asString()) {
				case "u+" -> new UserConnectedEvent(this, id);
				case "u-" -> new UserDisconnectedEvent(this, id);
				case "g+" -> new GroupOpenedEvent(this, id);
				case "g-" -> new GroupClosedEvent(this, id);
				default -> null;
			};
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

	private void logFailure(RuntimeException ex) {
		long now = System.currentTimeMillis();
		if (now - this.lastFailureLog > 10_000) {
			this.lastFailureLog = now;
			logger.warn("Presence could not reach Redis; counts are stale until it is back: " + ex.getMessage());
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
		ScheduledExecutorService writer = Executors
			.newSingleThreadScheduledExecutor((task) -> daemon(task, "livesession-presence"));
		this.healthySince = -1;
		this.running = true;
		this.writer = writer;
		markAllDirty();
		writer.scheduleWithFixedDelay(this::beat, 0, this.heartbeat.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Remove this instance's share at once, so its connections leave the counts now
	 * rather than when its lease runs out.
	 */
	@Override
	public void stop() {
		ScheduledExecutorService writer = this.writer;
		this.running = false;
		this.writer = null;
		if (writer != null) {
			// On the writer thread, after any write in progress, which would otherwise
			// write the share again.
			writer.execute(this::removeShare);
			writer.shutdown();
			try {
				if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
					writer.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		// Last, as the writer may be subscribing.
		this.container.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void destroy() throws Exception {
		stop();
		this.container.destroy();
		this.receiver.shutdown();
	}

}
