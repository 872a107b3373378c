package io.livesession.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * The threads that continue long drains and close transports, and the watchdog that
 * enforces the send time limit. Deliberately not an {@link Executor} bean: Spring Boot's
 * own task executor backs off when one exists.
 *
 * <p>
 * Writes are asynchronous: no thread waits while a peer does not read. A write still in
 * progress after the send time limit gets its connection evicted (closed with 4008 and
 * unregistered); the watchdog looks at every connection's current write a few times per
 * limit, and also ends orderly closes whose {@link #getCloseGracePeriod() grace period}
 * is over. Closes run on separate closing threads, because the Jakarta WebSocket close
 * frame is a blocking write, which waits (briefly, see {@code expediteClose}) for a peer
 * that does not read.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class SendPool implements AutoCloseable {

	/** The default send time limit. */
	public static final Duration DEFAULT_SEND_TIME_LIMIT = Duration.ofSeconds(10);

	/**
	 * How long an orderly close may take to send the frames queued before it: long enough
	 * for a reading client, short enough not to hold a shutdown.
	 */
	public static final Duration DEFAULT_CLOSE_GRACE_PERIOD = Duration.ofSeconds(2);

	private final ExecutorService executor;

	private final ExecutorService closer;

	private final ScheduledFuture<?> watchdog;

	private final @Nullable ThreadPoolTaskScheduler ownedScheduler;

	private final Duration sendTimeLimit;

	private final Duration closeGracePeriod;

	private final Set<QueuedConnection> watched = ConcurrentHashMap.newKeySet();

	/** Tells the watchdog's late runs; only its runs, one at a time, use it. */
	private final PauseDetector pauses;

	/**
	 * A pool of daemon threads with the default send time limit.
	 * @param threads the number of threads
	 */
	public SendPool(int threads) {
		this(threads, DEFAULT_SEND_TIME_LIMIT);
	}

	/**
	 * A pool of daemon threads.
	 * @param threads the number of threads
	 * @param sendTimeLimit how long one write may take before its connection is closed
	 * with 4008
	 */
	public SendPool(int threads, Duration sendTimeLimit) {
		this(threads, sendTimeLimit, DEFAULT_CLOSE_GRACE_PERIOD);
	}

	/**
	 * A pool of daemon threads.
	 * @param threads the number of threads
	 * @param sendTimeLimit how long one write may take before its connection is closed
	 * with 4008
	 * @param closeGracePeriod how long an orderly close may take to send the frames
	 * queued before it
	 * @since 0.1.0
	 */
	public SendPool(int threads, Duration sendTimeLimit, Duration closeGracePeriod) {
		this(threads, sendTimeLimit, closeGracePeriod, null);
	}

	/**
	 * A pool of daemon threads whose watchdog runs on the given scheduler.
	 * @param threads the number of threads
	 * @param sendTimeLimit how long one write may take before its connection is closed
	 * with 4008
	 * @param closeGracePeriod how long an orderly close may take to send the frames
	 * queued before it
	 * @param scheduler runs the watchdog; {@code null} for a thread of its own
	 * @since 0.1.0
	 */
	public SendPool(int threads, Duration sendTimeLimit, Duration closeGracePeriod, @Nullable TaskScheduler scheduler) {
		Assert.isTrue(!closeGracePeriod.isNegative(), "'closeGracePeriod' must not be negative");
		this.closeGracePeriod = closeGracePeriod;
		Assert.isTrue(threads > 0, "'threads' must be positive");
		Assert.isTrue(!sendTimeLimit.isNegative() && !sendTimeLimit.isZero(), "'sendTimeLimit' must be positive");
		this.sendTimeLimit = sendTimeLimit;
		this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				daemon("livesession-send-"));
		// A close frame may wait (briefly) for a peer that does not read: closes get
		// threads of their own, so that their callers never wait.
		int closers = Math.max(2, threads);
		ThreadPoolExecutor closer = new ThreadPoolExecutor(closers, closers, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), daemon("livesession-close-"));
		closer.allowCoreThreadTimeOut(true);
		this.closer = closer;
		this.ownedScheduler = (scheduler != null) ? null : watchdogScheduler();
		TaskScheduler watchdogScheduler = (scheduler != null) ? scheduler : this.ownedScheduler;
		Duration period = Duration.ofMillis(Math.max(10,
				Math.min(1000, Math.min(sendTimeLimit.toMillis(), Math.max(100, closeGracePeriod.toMillis())) / 10)));
		this.pauses = new PauseDetector(period.toNanos(), System.nanoTime());
		this.watchdog = watchdogScheduler.scheduleWithFixedDelay(this::check, Instant.now().plus(period), period);
	}

	private static ThreadFactory daemon(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

	private static ThreadPoolTaskScheduler watchdogScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadFactory(daemon("livesession-send-watchdog-"));
		scheduler.initialize();
		return scheduler;
	}

	/**
	 * The executor that continues long drains and sends heartbeat pings.
	 * @return the executor
	 */
	public Executor getExecutor() {
		return this.executor;
	}

	/**
	 * How long one write may take before its connection is evicted.
	 * @return the send time limit
	 */
	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	/**
	 * How long an orderly close may take to send the frames queued before it; then the
	 * close frame goes out at once.
	 * @return the grace period
	 * @since 0.1.0
	 */
	public Duration getCloseGracePeriod() {
		return this.closeGracePeriod;
	}

	Executor getCloser() {
		return this.closer;
	}

	void watch(QueuedConnection connection) {
		this.watched.add(connection);
	}

	void unwatch(QueuedConnection connection) {
		this.watched.remove(connection);
	}

	int getWatchedCount() {
		return this.watched.size();
	}

	private void check() {
		check(System.nanoTime());
	}

	/**
	 * One run of the watchdog; package-private so that tests can run it at chosen times.
	 * @param now the current {@link System#nanoTime()}
	 */
	void check(long now) {
		if (this.pauses.runIsLate(now)) {
			// This run comes after a pause of the whole process (a long GC pause, a
			// frozen VM): writes that completed meanwhile have not been told so yet, and
			// judged now they would all look overdue. The next run, a period later,
			// judges them once the I/O threads caught up; a frozen instance evicted its
			// healthy connections with 4008 as soon as it resumed.
			return;
		}
		long limit = this.sendTimeLimit.toNanos();
		for (QueuedConnection connection : this.watched) {
			try {
				connection.check(limit, now);
			}
			catch (RuntimeException ex) {
				// One connection's failure must not stop the watchdog for all others.
			}
		}
	}

	@Override
	public void close() {
		this.watchdog.cancel(false);
		if (this.ownedScheduler != null) {
			this.ownedScheduler.shutdown();
		}
		this.executor.shutdown();
		this.closer.shutdown();
	}

}
