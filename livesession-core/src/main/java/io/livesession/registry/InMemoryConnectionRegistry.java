package io.livesession.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * {@link ConnectionRegistry} on concurrent hash maps. Index updates of one key go through
 * {@code compute}, so an index set is created and dropped atomically; readers never lock.
 *
 * @author livesession
 */
final class InMemoryConnectionRegistry implements ConnectionRegistry {

	private final Map<String, LiveConnection> byId = new ConcurrentHashMap<>();

	private final Map<String, Set<LiveConnection>> byGroup = new ConcurrentHashMap<>();

	private final Map<String, Set<LiveConnection>> byUser = new ConcurrentHashMap<>();

	@Override
	public void register(LiveConnection connection) {
		Assert.notNull(connection, "'connection' must not be null");
		LiveConnection previous = this.byId.putIfAbsent(connection.getId(), connection);
		Assert.state(previous == null, () -> "A connection with id " + connection.getId() + " is registered already");
		add(this.byGroup, connection.getGroupId(), connection);
		String userId = connection.getUserId();
		if (userId != null) {
			add(this.byUser, userId, connection);
		}
		if (this.byId.get(connection.getId()) != connection) {
			// Unregistered while its indexes were being filled: undo, so no empty index
			// entry stays behind.
			removeFromIndexes(connection);
		}
	}

	@Override
	public boolean unregister(LiveConnection connection) {
		if (!this.byId.remove(connection.getId(), connection)) {
			return false;
		}
		removeFromIndexes(connection);
		return true;
	}

	private void removeFromIndexes(LiveConnection connection) {
		remove(this.byGroup, connection.getGroupId(), connection);
		String userId = connection.getUserId();
		if (userId != null) {
			remove(this.byUser, userId, connection);
		}
	}

	private static void add(Map<String, Set<LiveConnection>> index, String key, LiveConnection connection) {
		index.compute(key, (k, set) -> {
			Set<LiveConnection> result = (set != null) ? set : ConcurrentHashMap.newKeySet();
			result.add(connection);
			return result;
		});
	}

	private static void remove(Map<String, Set<LiveConnection>> index, String key, LiveConnection connection) {
		index.computeIfPresent(key, (k, set) -> {
			set.remove(connection);
			return set.isEmpty() ? null : set;
		});
	}

	@Override
	public @Nullable LiveConnection find(String connectionId) {
		return this.byId.get(connectionId);
	}

	@Override
	public Collection<LiveConnection> findByGroup(String groupId) {
		return view(this.byGroup.get(groupId));
	}

	@Override
	public Collection<LiveConnection> findByUser(String userId) {
		return view(this.byUser.get(userId));
	}

	private static Collection<LiveConnection> view(@Nullable Set<LiveConnection> set) {
		return (set != null) ? Collections.unmodifiableSet(set) : Collections.emptySet();
	}

	@Override
	public Collection<LiveConnection> findAll() {
		return Collections.unmodifiableCollection(this.byId.values());
	}

	@Override
	public Set<String> getGroupIds() {
		return Collections.unmodifiableSet(this.byGroup.keySet());
	}

	@Override
	public Set<String> getUserIds() {
		return Collections.unmodifiableSet(this.byUser.keySet());
	}

	@Override
	public int getConnectionCount() {
		return this.byId.size();
	}

	@Override
	public int getGroupCount() {
		return this.byGroup.size();
	}

	@Override
	public int getUserCount() {
		return this.byUser.size();
	}

}
