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
 * {@link ConnectionRegistry} on a concurrent hash map by id and a {@link SetIndex} each
 * by group and by user; readers never lock.
 *
 * @author livesession
 */
final class InMemoryConnectionRegistry implements ConnectionRegistry {

	private final Map<String, LiveConnection> byId = new ConcurrentHashMap<>();

	private final SetIndex<LiveConnection> byGroup = new SetIndex<>();

	private final SetIndex<LiveConnection> byUser = new SetIndex<>();

	@Override
	public void register(LiveConnection connection) {
		Assert.notNull(connection, "'connection' must not be null");
		LiveConnection previous = this.byId.putIfAbsent(connection.getId(), connection);
		Assert.state(previous == null, () -> "A connection with id " + connection.getId() + " is registered already");
		this.byGroup.add(connection.getGroupId(), connection);
		String userId = connection.getUserId();
		if (userId != null) {
			this.byUser.add(userId, connection);
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
		this.byGroup.remove(connection.getGroupId(), connection);
		String userId = connection.getUserId();
		if (userId != null) {
			this.byUser.remove(userId, connection);
		}
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
		return this.byGroup.keys();
	}

	@Override
	public Set<String> getUserIds() {
		return this.byUser.keys();
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
