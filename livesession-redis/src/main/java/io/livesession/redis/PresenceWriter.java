package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Writes this instance's {@link PresenceShare} to Redis on one background thread,
 * coalesced, and every heartbeat renews the instance's lease and sweeps the shares of
 * instances whose lease ran out. Redis failures never leave this class: what could not be
 * written is written with the next change or heartbeat.
 *
 * @author livesession
 */
final class PresenceWriter {

	private static final Log logger = LogFactory.getLog(PresenceWriter.class);

	/** See {@code presence-sync.lua}. */
	private static final RedisScript<Long> SYNC = LuaScripts.load("presence-sync.lua", Long.class);

	/** See {@code presence-remove.lua}. */
	private static final RedisScript<Long> REMOVE = LuaScripts.load("presence-remove.lua", Long.class);

	/**
	 * Most ids written by one script call: Redis runs a script alone, so one call must
	 * stay short even when a large share is written again as a whole.
	 */
	private static final int BATCH = 1000;

	private final StringRedisTemplate redis;

	private final PresenceKeys keys;

	private final String channel;

	private final String instanceId;

	private final Duration heartbeat;

	private final Duration lease;

	private final PresenceShare share;

	private final ThrottledLog failures;

	private final AtomicBoolean flushQueued = new AtomicBoolean();

	private volatile @Nullable ScheduledExecutorService writer;

	private volatile boolean running;

	/**
	 * When the current run of successful writes began, or -1 after a failure. Only the
	 * writer thread uses it.
	 */
	private long healthySince = -1;

	PresenceWriter(StringRedisTemplate redis, PresenceKeys keys, String channel, String instanceId, Duration heartbeat,
			PresenceShare share, ThrottledLog failures) {
		this.redis = redis;
		this.keys = keys;
		this.channel = channel;
		this.instanceId = instanceId;
		this.heartbeat = heartbeat;
		this.lease = heartbeat.multipliedBy(RedisPresence.LEASE_HEARTBEATS);
		this.share = share;
		this.failures = failures;
	}

	void requestFlush() {
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
		PresenceShare.Changes changes = this.share.drain(BATCH);
		if (!always && changes.isEmpty()) {
			return true;
		}
		List<String> args = this.share.arguments(changes, this.channel, this.instanceId,
				String.valueOf(this.lease.toMillis()), this.keys.layout());
		Long present;
		try {
			present = this.redis.execute(SYNC, this.keys.syncKeys(), args.toArray());
		}
		catch (RuntimeException ex) {
			// Written again with the next change or heartbeat.
			this.share.restore(changes);
			this.healthySince = -1;
			failed(ex);
			return false;
		}
		if (this.healthySince < 0) {
			this.healthySince = System.nanoTime();
		}
		if (present != null && present == 0) {
			// New, or swept while unreachable: the share in Redis is gone or partial.
			this.share.markAllDirty();
		}
		if (this.share.isDirty()) {
			// The rest in another task, behind a heartbeat that may be waiting.
			requestFlush();
		}
		return true;
	}

	private void beat() {
		// Sweep only after a lease of successful writes: when Redis comes back after an
		// outage, every lease looks expired, and the other instances need one heartbeat
		// to renew theirs before anyone's may be taken for a crash.
		if (!flush(true) || System.nanoTime() - this.healthySince < this.lease.toNanos()) {
			return;
		}
		try {
			Long swept = this.redis.execute(REMOVE, this.keys.removeKeys(), this.channel, this.keys.sharePrefix(), "",
					this.keys.layout());
			if (swept != null && swept > 0) {
				logger.info("Removed the presence of " + swept + " instance(s) whose lease expired");
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	private void removeShare() {
		try {
			this.redis.execute(REMOVE, this.keys.removeKeys(), this.channel, this.keys.sharePrefix(), this.instanceId,
					this.keys.layout());
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	void failed(RuntimeException ex) {
		this.failures
			.warn(() -> "Presence could not reach Redis; counts are stale until it is back: " + ex.getMessage());
	}

	void start() {
		// One thread of its own rather than livesession's TaskScheduler (two threads):
		// heartbeats, flushes and the final removal of the share must never overlap, or a
		// late heartbeat would write a removed share again.
		ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "livesession-presence");
			thread.setDaemon(true);
			return thread;
		});
		this.healthySince = -1;
		this.running = true;
		this.writer = writer;
		this.share.markAllDirty();
		writer.scheduleWithFixedDelay(this::beat, 0, this.heartbeat.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Remove this instance's share at once and stop writing. */
	void stop() {
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
	}

	boolean isRunning() {
		return this.running;
	}

}
