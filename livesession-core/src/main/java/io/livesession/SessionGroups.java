package io.livesession;

import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Server-side access to session groups: read a group, change it atomically, delete it, or
 * page through the ids of every group. A change made here is pushed to the group's
 * connections exactly like an action's, on every instance of a cluster.
 *
 * <pre class="code">
 * // only sets state: no return value needed
 * groups.modify("user:alice", (state) -&gt; state.setAttribute("theme", "dark"));
 * // computes a result under the lock
 * int count = groups.update("user:alice", (state) -&gt; {
 *     Integer current = state.getAttribute("count", Integer.class);
 *     int next = (current != null) ? current + 1 : 1;
 *     state.setAttribute("count", next);
 *     return next;
 * });
 * </pre>
 *
 * @author livesession
 * @since 0.1.0
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
	 * Change a group atomically, like {@link #update(String, Function)} for a change that
	 * has no result. (A different name, not an overload: with one-parameter lambdas a
	 * {@code Consumer} overload would make {@code update} calls ambiguous.)
	 * @param groupId the group id
	 * @param change the change, run while the group is locked; keep it short
	 * @throws SessionGroupUnavailableException when the store cannot be reached
	 * @since 0.1.0
	 */
	default void modify(String groupId, Consumer<GroupState> change) {
		update(groupId, (state) -> {
			change.accept(state);
			return null;
		});
	}

	/**
	 * One page of the ids of every stored group: of the whole cluster when the store is
	 * shared (Redis {@code SCAN}, never {@code KEYS}), of this instance in memory. Start
	 * with {@link GroupIdPage#FIRST} and pass each page's
	 * {@link GroupIdPage#nextCursor()} until it is {@code null}: <pre class="code">
	 * String cursor = GroupIdPage.FIRST;
	 * while (cursor != null) {
	 *     GroupIdPage page = groups.findIds(cursor, 100);
	 *     page.ids().forEach(groups::delete);
	 *     cursor = page.nextCursor();
	 * }
	 * </pre>
	 * @param cursor {@link GroupIdPage#FIRST} or the previous page's next cursor
	 * @param count about how many ids a page holds (a hint, as for {@code SCAN})
	 * @return the page
	 * @throws SessionGroupUnavailableException when the store cannot be reached
	 * @throws IllegalArgumentException for a cursor the store did not issue
	 * @since 0.1.0
	 */
	GroupIdPage findIds(String cursor, int count);

	/**
	 * Delete a group and its state. Its open connections, on every instance, receive the
	 * now empty state at version 0.
	 * @param groupId the group id
	 */
	void delete(String groupId);

}
