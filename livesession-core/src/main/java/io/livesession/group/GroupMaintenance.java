package io.livesession.group;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import io.livesession.ConnectionRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps groups with open connections alive and removes expired ones: every interval it
 * slides the expiry of this instance's connected groups, then sweeps. Touch before sweep,
 * in one task, so a group with a connection is never swept. Runs on the
 * {@link TaskScheduler} the instance's other periodic jobs share.
 *
 * @author livesession
 */
public final class GroupMaintenance implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(GroupMaintenance.class);

	private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

	private final GroupStore store;

	private final ConnectionRegistry registry;

	private final Duration interval;

	private final TaskScheduler scheduler;

	private volatile @Nullable ScheduledFuture<?> task;

	/**
	 * Create the maintenance job.
	 * @param store the groups
	 * @param registry this instance's connections, whose groups are kept alive
	 * @param interval the time between two passes
	 * @param scheduler runs the passes
	 */
	public GroupMaintenance(GroupStore store, ConnectionRegistry registry, Duration interval, TaskScheduler scheduler) {
		this.store = store;
		this.registry = registry;
		this.interval = interval;
		this.scheduler = scheduler;
	}

	/**
	 * Run one touch-and-sweep pass now.
	 * @return the number of groups removed
	 */
	public int runOnce() {
		this.store.touch(List.copyOf(this.registry.getGroupIds()));
		return this.store.removeExpired();
	}

	@Override
	public synchronized void start() {
		if (this.task == null) {
			Duration delay = this.interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : this.interval;
			this.task = this.scheduler.scheduleWithFixedDelay(this::runSafely, Instant.now().plus(delay), delay);
		}
	}

	private void runSafely() {
		try {
			int removed = runOnce();
			if (removed > 0 && logger.isDebugEnabled()) {
				logger.debug("Removed " + removed + " expired session group(s)");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Session group maintenance failed; retrying in " + this.interval, ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledFuture<?> task = this.task;
		if (task != null) {
			task.cancel(false);
			this.task = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
