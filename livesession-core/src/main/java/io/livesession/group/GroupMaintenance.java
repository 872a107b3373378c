package io.livesession.group;

import java.time.Duration;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.scheduling.PeriodicJob;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps groups with open connections alive and removes expired ones: every interval it
 * slides the expiry of this instance's connected groups, then sweeps. Touch before sweep,
 * in one task, so a group with a connection is never swept. Runs on the
 * {@link TaskScheduler} the instance's other periodic jobs share.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class GroupMaintenance extends PeriodicJob {

	private static final Log logger = LogFactory.getLog(GroupMaintenance.class);

	private final GroupStore store;

	private final ConnectionRegistry registry;

	/**
	 * Create the maintenance job.
	 * @param store the groups
	 * @param registry this instance's connections, whose groups are kept alive
	 * @param interval the time between two passes
	 * @param scheduler runs the passes
	 */
	public GroupMaintenance(GroupStore store, ConnectionRegistry registry, Duration interval, TaskScheduler scheduler) {
		super("Session group maintenance", logger, scheduler, interval);
		this.store = store;
		this.registry = registry;
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
	protected void runScheduled() {
		int removed = runOnce();
		if (removed > 0 && logger.isDebugEnabled()) {
			logger.debug("Removed " + removed + " expired session group(s)");
		}
	}

}
