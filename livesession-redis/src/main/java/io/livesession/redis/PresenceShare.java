package io.livesession.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * This instance's share of presence, counted in memory at once and always current, with
 * what changed since it was last written: Redis catches up with it.
 *
 * @author livesession
 */
final class PresenceShare {

	private final Map<String, Integer> users = new ConcurrentHashMap<>();

	private final Map<String, Integer> groups = new ConcurrentHashMap<>();

	private final AtomicLong connections = new AtomicLong();

	private final Set<String> dirtyUsers = ConcurrentHashMap.newKeySet();

	private final Set<String> dirtyGroups = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean dirtyConnections = new AtomicBoolean();

	/**
	 * Count a connection in or out.
	 * @param userId its user, or {@code null} when anonymous
	 * @param groupId its group (for topics: the topic)
	 * @param delta 1 or -1
	 */
	void change(@Nullable String userId, String groupId, int delta) {
		// Count first, then mark: the writer unmarks before it reads the count, so it
		// either sees this change or is marked to write it again.
		if (userId != null) {
			this.users.compute(userId, (id, count) -> positive(count, delta));
			this.dirtyUsers.add(userId);
		}
		this.groups.compute(groupId, (id, count) -> positive(count, delta));
		this.dirtyGroups.add(groupId);
		this.connections.addAndGet(delta);
		this.dirtyConnections.set(true);
	}

	private static @Nullable Integer positive(@Nullable Integer count, int delta) {
		int next = ((count != null) ? count : 0) + delta;
		return (next > 0) ? next : null;
	}

	long connectionCount() {
		return this.connections.get();
	}

	Set<String> userIds() {
		return this.users.keySet();
	}

	Set<String> groupIds() {
		return this.groups.keySet();
	}

	int groupCount(String groupId) {
		return this.groups.getOrDefault(groupId, 0);
	}

	/**
	 * Take up to {@code limit} changes off the dirty marks.
	 * @param limit the most user and group ids together
	 * @return the changes, to be written or {@link #restore restored}
	 */
	Changes drain(int limit) {
		List<String> changedUsers = drain(this.dirtyUsers, limit);
		List<String> changedGroups = drain(this.dirtyGroups, limit - changedUsers.size());
		return new Changes(changedUsers, changedGroups, this.dirtyConnections.getAndSet(false));
	}

	private static List<String> drain(Set<String> dirty, int limit) {
		List<String> ids = new ArrayList<>();
		for (String id : dirty) {
			if (ids.size() >= limit) {
				break;
			}
			if (dirty.remove(id)) {
				ids.add(id);
			}
		}
		return ids;
	}

	/** Mark changes again that could not be written. */
	void restore(Changes changes) {
		this.dirtyUsers.addAll(changes.users());
		this.dirtyGroups.addAll(changes.groups());
		if (changes.connections()) {
			this.dirtyConnections.set(true);
		}
	}

	/** Mark everything, for a share that Redis lost or never had. */
	void markAllDirty() {
		this.dirtyUsers.addAll(this.users.keySet());
		this.dirtyGroups.addAll(this.groups.keySet());
		this.dirtyConnections.set(true);
	}

	boolean isDirty() {
		return !this.dirtyUsers.isEmpty() || !this.dirtyGroups.isEmpty() || this.dirtyConnections.get();
	}

	/**
	 * The script arguments of some changes, after the given leading arguments: the
	 * connection count ({@code ""} if unchanged), the number of users, then id and count
	 * pairs, users first.
	 */
	List<String> arguments(Changes changes, String... leading) {
		List<String> args = new ArrayList<>(leading.length + 2 + 2 * changes.size());
		args.addAll(List.of(leading));
		args.add(changes.connections() ? String.valueOf(Math.max(0, this.connections.get())) : "");
		args.add(String.valueOf(changes.users().size()));
		addCounts(args, changes.users(), this.users);
		addCounts(args, changes.groups(), this.groups);
		return args;
	}

	private static void addCounts(List<String> args, List<String> ids, Map<String, Integer> counts) {
		for (String id : ids) {
			args.add(id);
			args.add(String.valueOf(counts.getOrDefault(id, 0)));
		}
	}

	/**
	 * Changes taken off the dirty marks.
	 *
	 * @param users the changed user ids
	 * @param groups the changed group ids
	 * @param connections whether the connection count changed
	 */
	record Changes(List<String> users, List<String> groups, boolean connections) {

		int size() {
			return this.users.size() + this.groups.size();
		}

		boolean isEmpty() {
			return this.users.isEmpty() && this.groups.isEmpty() && !this.connections;
		}

	}

}
