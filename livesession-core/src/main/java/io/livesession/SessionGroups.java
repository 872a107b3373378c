package io.livesession;

import java.util.function.Function;

/**
 * Server-side access to session groups: read a group, or change it atomically. A change
 * made here is pushed to the group's connections exactly like an action's.
 *
 * @author livesession
 */
public interface SessionGroups {

	/**
	 * A snapshot of a group; a group that does not exist reads as empty at version 0.
	 * @param groupId the group id
	 * @return the snapshot
	 */
	SessionGroup get(String groupId);

	/**
	 * Read-modify-write a group atomically. Updates of one group, from any number of
	 * connections, threads or instances, are linearizable and never lost.
	 * <p>
	 * <strong>The update may run more than once.</strong> On a shared store (Redis) the
	 * change is committed only if no other instance committed since the group was read;
	 * otherwise the group is read again and the update runs again on the new state (a
	 * bounded number of times, then {@link SessionGroupUnavailableException}). Only the
	 * last run's changes and result count. So an update must be a function of the state
	 * it is given: no side effects outside the {@link GroupState} (no emails, no
	 * counters, no broadcasts). Put those in {@link GroupState#afterCommit(Runnable)},
	 * which runs once, after the commit.
	 * @param <T> the result type
	 * @param groupId the group id
	 * @param update the change, re-runnable; keep it short
	 * @return what the last run of the update returned
	 * @throws SessionGroupUnavailableException when the store cannot be reached or the
	 * group kept changing
	 */
	<T> T update(String groupId, Function<GroupState, T> update);

	/**
	 * Delete a group and its state.
	 * @param groupId the group id
	 */
	void delete(String groupId);

}
