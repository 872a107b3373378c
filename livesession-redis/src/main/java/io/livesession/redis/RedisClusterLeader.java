package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.livesession.scheduling.ClusterLeader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * {@link ClusterLeader} on Redis: a lease on one key, taken with {@code SET NX PX}
 * semantics and renewed every third of the lease, plus a counter that numbers the
 * leaderships (the fencing token).
 * <p>
 * <strong>At most one leader.</strong> An instance counts itself the leader only until
 * its lease would end as measured from <em>before</em> it asked Redis, so it gives up
 * leadership by itself before Redis lets anyone else take it, even when it cannot reach
 * Redis to learn that it lost. <strong>A new leader in bounded time.</strong> A crashed
 * leader's key expires at most one lease after its last renewal, and every other instance
 * tries every third of a lease: another instance leads at most 4/3 of a lease after the
 * crash (13.4 s with the default 10 s). A clean stop deletes the key, so the next
 * instance leads within a third of a lease.
 * <p>
 * Keys, in one hash slot for Redis Cluster: {@code <prefix>{leader}:holder} (the leader's
 * instance id, with the lease as its expiry) and {@code <prefix>{leader}:term}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisClusterLeader implements ClusterLeader, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisClusterLeader.class);

	private static final RedisScript<Long> ACQUIRE = LuaScripts.load("leader-acquire.lua", Long.class);

	private static final RedisScript<Long> RELEASE = LuaScripts.load("leader-release.lua", Long.class);

	private final StringRedisTemplate redis;

	private final List<String> keys;

	private final String instanceId;

	private final Duration lease;

	private final Object monitor = new Object();

	private volatile long term;

	private volatile long validUntilNanos;

	private volatile boolean running;

	private ScheduledExecutorService executor;

	/**
	 * Create a leader election; it takes part once {@link #start() started}.
	 * @param connectionFactory the connection factory
	 * @param keyPrefix the prefix of its keys, e.g. {@code livesession:}
	 * @param instanceId this instance's id, unique in the cluster
	 * @param lease how long a leadership lasts without renewal
	 */
	public RedisClusterLeader(RedisConnectionFactory connectionFactory, String keyPrefix, String instanceId,
			Duration lease) {
		Assert.isTrue(lease.toMillis() >= 30, "'lease' must be at least 30ms");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = List.of(keyPrefix + "{leader}:holder", keyPrefix + "{leader}:term");
		this.instanceId = instanceId;
		this.lease = lease;
		this.executor = newExecutor();
	}

	private static ScheduledExecutorService newExecutor() {
		// A thread of its own rather than the application's TaskScheduler: the election
		// must keep its pace even when the jobs it guards keep that scheduler busy.
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "livesession-leader");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public boolean isLeader() {
		return this.term > 0 && System.nanoTime() - this.validUntilNanos < 0;
	}

	@Override
	public long getTerm() {
		return isLeader() ? this.term : 0;
	}

	/**
	 * This instance's id, as stored in the holder key.
	 * @return the id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

	void tryAcquire() {
		if (!this.running) {
			return;
		}
		long asked = System.nanoTime();
		long held;
		try {
			Long reply = this.redis.execute(ACQUIRE, this.keys, this.instanceId, String.valueOf(this.lease.toMillis()));
			held = (reply != null) ? reply : 0;
		}
		catch (RuntimeException ex) {
			// Leadership lapses by itself at the end of the lease: nothing to undo.
			logger.debug("livesession leader election: Redis cannot be reached", ex);
			return;
		}
		synchronized (this.monitor) {
			boolean was = isLeader();
			long previous = this.term;
			if (held > 0 && this.running) {
				this.validUntilNanos = asked + this.lease.toNanos();
				this.term = held;
				if (!was || previous != held) {
					logger.info("livesession: this instance (" + this.instanceId + ") leads the cluster, term " + held);
				}
			}
			else {
				this.term = 0;
				if (was) {
					logger.info("livesession: this instance (" + this.instanceId + ") no longer leads the cluster");
				}
			}
		}
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			if (this.executor.isShutdown()) {
				this.executor = newExecutor();
			}
			this.running = true;
			long period = Math.max(1, this.lease.toMillis() / 3);
			this.executor.scheduleWithFixedDelay(this::tryAcquire, 0, period, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.executor.shutdownNow();
			this.term = 0;
		}
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
			this.redis.execute(RELEASE, this.keys.subList(0, 1), this.instanceId);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.debug("livesession leader election: could not release the lease; it expires by itself", ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "Redis leader election (lease " + this.lease + ")";
	}

}
