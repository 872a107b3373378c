package io.livesession.group;

import java.util.Collection;
import java.util.function.Function;

import io.livesession.GroupIdPage;
import io.livesession.SessionGroupUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * Where session groups live: the seam between the group logic and a storage (Spring
 * Session in memory or on Redis). Implementations make the steps of one group atomic,
 * also across instances when the storage is shared: in memory by a lock, on a shared
 * storage by a version-fenced commit that runs the step again when another commit came
 * first.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface GroupStore {

	/**
	 * Run one atomic read-modify-write step on a group, creating it when absent, and
	 * slide its expiry. The step may run more than once: when the group changed between
	 * the read and the commit, it is read again and the step runs on the new state; only
	 * the last run commits and only its {@code afterCommit} runs.
	 * @param <T> the result type
	 * @param groupId the group id
	 * @param step computes the update from the current group
	 * @return the step's result
	 * @throws SessionGroupUnavailableException when the storage cannot be reached, or the
	 * group kept changing for more than the bounded number of attempts
	 */
	<T> T update(String groupId, Function<StoredGroup, GroupUpdate<T>> step);

	/**
	 * Read a group without changing it.
	 * @param groupId the group id
	 * @return the group, or {@code null} when absent or expired
	 */
	@Nullable StoredGroup find(String groupId);

	/**
	 * Slide the expiry of groups that are in use.
	 * @param groupIds the group ids
	 */
	void touch(Collection<String> groupIds);

	/**
	 * Delete a group.
	 * @param groupId the group id
	 */
	void delete(String groupId);

	/**
	 * Whether this store publishes a step's {@link GroupUpdate#announcement()} to the
	 * group's connections on every instance as part of the commit; when not, the caller
	 * pushes it after the commit.
	 * @return true when the commit publishes the announcement
	 */
	default boolean publishesAnnouncements() {
		return false;
	}

	/**
	 * One page of the ids of every stored group, for stores that can list them.
	 * @param cursor {@link GroupIdPage#FIRST} or a cursor this store issued
	 * @param count about how many ids to return
	 * @return the page
	 * @throws UnsupportedOperationException when the storage cannot list its groups
	 * @since 0.1.0
	 */
	default GroupIdPage ids(String cursor, int count) {
		throw new UnsupportedOperationException(this + " cannot list its groups");
	}

	/**
	 * Remove expired groups and free their memory, for storages that do not expire
	 * entries by themselves.
	 * @return the number of groups removed
	 */
	default int removeExpired() {
		return 0;
	}

}
