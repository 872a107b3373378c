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
	 * connections or threads, are serialized and never lost.
	 * @param <T> the result type
	 * @param groupId the group id
	 * @param update the change, run while the group is locked; keep it short
	 * @return what the update returned
	 * @throws SessionGroupUnavailableException when the store cannot be reached
	 */
	<T> T update(String groupId, Function<GroupState, T> update);

	/**
	 * Delete a group and its state.
	 * @param groupId the group id
	 */
	void delete(String groupId);

}
