package io.livesession.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * A job run with a fixed delay on a {@link TaskScheduler} shared with livesession's other
 * periodic jobs, from the context's start to its stop, and kept running when one run
 * fails, since the next may succeed (a store back up, say).
 *
 * @author livesession
 * @since 0.1.0
 */
public abstract class PeriodicJob implements SmartLifecycle {

	/** The shortest delay, so that a tiny interval cannot monopolize a shared thread. */
	private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

	private final String description;

	private final Log logger;

	private final TaskScheduler scheduler;

	private final Duration interval;

	private volatile @Nullable ScheduledFuture<?> task;

	/** Held by a run: {@link #stop()} waits for the one in progress. */
	private final Object runs = new Object();

	/**
	 * Create a job.
	 * @param description what the job does, for the failure log
	 * @param logger where failures are logged
	 * @param scheduler runs the job
	 * @param interval the delay between the end of one run and the start of the next
	 */
	protected PeriodicJob(String description, Log logger, TaskScheduler scheduler, Duration interval) {
		this.description = description;
		this.logger = logger;
		this.scheduler = scheduler;
		this.interval = (interval.compareTo(MIN_INTERVAL) < 0) ? MIN_INTERVAL : interval;
	}

	/**
	 * One run of the job.
	 */
	protected abstract void runScheduled();

	/**
	 * Schedule the runs, the first one after an interval; nothing when already started.
	 */
	@Override
	public synchronized void start() {
		if (this.task == null) {
			this.task = this.scheduler.scheduleWithFixedDelay(this::runSafely, Instant.now().plus(this.interval),
					this.interval);
		}
	}

	private void runSafely() {
		synchronized (this.runs) {
			if (this.task == null) {
				// Stopped while this run waited for the previous one.
				return;
			}
			try {
				runScheduled();
			}
			catch (RuntimeException ex) {
				this.logger.warn(this.description + " failed; retrying in " + this.interval, ex);
			}
		}
	}

	/**
	 * Cancel the runs to come and wait for a run in progress to complete: once stopped,
	 * nothing of the job runs any more (a run that wrote to the store after its stop
	 * would be a write nobody asked for).
	 */
	@Override
	public void stop() {
		synchronized (this) {
			ScheduledFuture<?> task = this.task;
			if (task != null) {
				task.cancel(false);
				this.task = null;
			}
		}
		synchronized (this.runs) {
			// Entered once the run in progress, if any, has completed.
		}
	}

	/**
	 * Whether the runs are scheduled.
	 * @return {@code true} between {@link #start()} and {@link #stop()}
	 */
	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
