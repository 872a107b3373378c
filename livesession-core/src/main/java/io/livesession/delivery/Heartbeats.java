package io.livesession.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * Pings every connection of this instance at a fixed interval and closes (and unregisters
 * at once) those that have answered nothing, neither a pong nor any other frame, within
 * the timeout after a ping: dead peers leave the registry and presence, and idle sockets
 * stay open behind proxies and load balancers that drop silent connections. Runs on
 * Spring's {@link TaskScheduler}; the pings themselves go out on the send pool, since the
 * Jakarta WebSocket API has only a blocking ping.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class Heartbeats implements AutoCloseable {

	/** Checks run a little after the timeout, so that they never come early. */
	private static final Duration SLACK = Duration.ofMillis(50);

	/** How long a late check leaves the I/O threads to read what arrived meanwhile. */
	private static final Duration GRACE = Duration.ofSeconds(1);

	private final ConnectionRegistry registry;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private final Duration timeout;

	private final @Nullable ThreadPoolTaskScheduler owned;

	private volatile @Nullable ScheduledFuture<?> rounds;

	/**
	 * Heartbeats on a scheduler of their own (one daemon thread), for use without the
	 * auto-configuration, which passes the scheduler of livesession's periodic jobs.
	 * @param registry this instance's connections
	 * @param interval the time between pings, zero for no heartbeats
	 * @param timeout how long a ping may stay unanswered
	 */
	public Heartbeats(ConnectionRegistry registry, Duration interval, Duration timeout) {
		this(registry, scheduler(), interval, timeout, true);
	}

	/**
	 * Heartbeats for the connections of the registry.
	 * @param registry this instance's connections
	 * @param scheduler runs the rounds
	 * @param interval the time between pings, zero for no heartbeats
	 * @param timeout how long a ping may stay unanswered
	 */
	public Heartbeats(ConnectionRegistry registry, TaskScheduler scheduler, Duration interval, Duration timeout) {
		this(registry, scheduler, interval, timeout, false);
	}

	private Heartbeats(ConnectionRegistry registry, TaskScheduler scheduler, Duration interval, Duration timeout,
			boolean owned) {
		Assert.isTrue(!interval.isNegative(), "'interval' must not be negative");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.registry = registry;
		this.scheduler = scheduler;
		this.interval = interval;
		this.timeout = timeout;
		this.owned = owned ? (ThreadPoolTaskScheduler) scheduler : null;
	}

	private static ThreadPoolTaskScheduler scheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("livesession-heartbeat-");
		scheduler.setDaemon(true);
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.initialize();
		return scheduler;
	}

	/**
	 * Whether heartbeats are sent (a positive interval).
	 * @return {@code true} when enabled
	 */
	public boolean isEnabled() {
		return !this.interval.isZero();
	}

	/**
	 * Start the rounds, the first one after an interval; nothing when disabled.
	 */
	public synchronized void start() {
		if (this.rounds == null && isEnabled()) {
			this.rounds = this.scheduler.scheduleAtFixedRate(this::round, Instant.now().plus(this.interval),
					this.interval);
		}
	}

	/**
	 * One round: ping every connection, and check the answers after the timeout.
	 */
	void round() {
		visit(true);
		long due = System.nanoTime() + this.timeout.plus(SLACK).toNanos();
		this.scheduler.schedule(() -> check(due), Instant.now().plus(this.timeout).plus(SLACK));
	}

	/**
	 * Check the answers to a round's pings. A check that runs more than 1 s after it was
	 * due ran after a pause of this process (a long GC pause, a frozen VM, see
	 * {@link PauseDetector}): the peers' answers may still sit unread in the sockets, so
	 * it first gives the I/O threads {@code GRACE} to read them. Checked at once, a
	 * frozen instance closed its live connections with 1001 as soon as it resumed, and
	 * the actions they had sent before the freeze were never answered.
	 * @param dueNanos when the check was due, in {@link System#nanoTime()}
	 */
	void check(long dueNanos) {
		if (PauseDetector.isLate(dueNanos, System.nanoTime())) {
			this.scheduler.schedule(() -> visit(false), Instant.now().plus(GRACE));
			return;
		}
		visit(false);
	}

	private void visit(boolean ping) {
		long now = System.nanoTime();
		long timeoutNanos = this.timeout.toNanos();
		for (LiveConnection connection : this.registry.findAll()) {
			if (connection instanceof ManagedConnection managed) {
				try {
					managed.heartbeat(now, timeoutNanos, ping);
				}
				catch (RuntimeException ex) {
					// One connection's failure must not stop the round for the others.
				}
			}
		}
	}

	public Duration getInterval() {
		return this.interval;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	@Override
	public synchronized void close() {
		ScheduledFuture<?> current = this.rounds;
		if (current != null) {
			current.cancel(false);
			this.rounds = null;
		}
		if (this.owned != null) {
			this.owned.shutdown();
		}
	}

}
