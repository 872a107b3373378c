package io.livesession.delivery;

import java.time.Duration;

/**
 * Tells a scheduled run that comes more than 1 s late, which means the whole process was
 * paused (a long GC pause, a frozen VM, {@code SIGSTOP}) until just now. Such a run must
 * not judge timeouts at once: the completions of writes and the answers of peers that
 * arrived during the pause have not been processed by the I/O threads yet, so every
 * connection would look overdue or silent, and healthy connections would be closed as
 * soon as the process resumes. Times are {@link System#nanoTime()} values.
 *
 * <p>
 * The static {@link #isLate(long, long)} judges a run against when it was due; an
 * instance judges the runs of a periodic job against its previous run. An instance is not
 * thread-safe: the job's runs use it one at a time.
 *
 * @author livesession
 * @since 0.1.0
 */
final class PauseDetector {

	/** How late a run may come before it counts as run after a pause of the process. */
	static final long LATE_NANOS = Duration.ofSeconds(1).toNanos();

	private final long periodNanos;

	/** When the job last ran (or was started). */
	private long lastRun;

	/**
	 * A detector for a periodic job.
	 * @param periodNanos the time between the job's runs
	 * @param startNanos when the job was started
	 */
	PauseDetector(long periodNanos, long startNanos) {
		this.periodNanos = periodNanos;
		this.lastRun = startNanos;
	}

	/**
	 * Whether a run comes after a pause of the process: more than {@link #LATE_NANOS}
	 * after it was due.
	 * @param dueNanos when the run was due
	 * @param nowNanos when it runs
	 * @return {@code true} when the run is late
	 */
	static boolean isLate(long dueNanos, long nowNanos) {
		return nowNanos - dueNanos > LATE_NANOS;
	}

	/**
	 * Whether this run of the job comes after a pause of the process: more than
	 * {@link #LATE_NANOS} after a period past the previous run. Records this run as the
	 * previous one, so that the next run on time is not late.
	 * @param nowNanos when the job runs
	 * @return {@code true} when the run is late
	 */
	boolean runIsLate(long nowNanos) {
		long due = this.lastRun + this.periodNanos;
		this.lastRun = nowNanos;
		return isLate(due, nowNanos);
	}

}
