package io.livesession.group;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.livesession.ConnectionRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps groups with open connections alive and removes expired ones: every interval it
 * slides the expiry of this instance's connected groups, then sweeps. Touch before sweep,
 * on one thread, so a group with a connection is never swept.
 *
 * @author livesession
 */
public final class GroupMaintenance implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(GroupMaintenance.class);

	private final GroupStore store;

	private final ConnectionRegistry registry;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService executor;

	public GroupMaintenance(GroupStore store, ConnectionRegistry registry, Duration interval) {
		this.store = store;
		this.registry = registry;
		this.interval = interval;
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
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "livesession-groups");
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(10, this.interval.toMillis());
		executor.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = executor;
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
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
