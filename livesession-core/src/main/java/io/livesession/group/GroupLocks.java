package io.livesession.group;

import java.util.function.Supplier;

/**
 * Serializes the steps of one group. In memory a striped lock is enough; a storage shared
 * by several instances needs a lock they all see.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface GroupLocks {

	/**
	 * Run a task while holding the group's lock.
	 * @param <T> the result type
	 * @param groupId the group id
	 * @param task the task
	 * @return the task's result
	 */
	<T> T withLock(String groupId, Supplier<T> task);

}
