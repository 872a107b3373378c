package io.livesession;

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Every open connection of this instance, indexed by connection id, group and user.
 * Lookups are O(1) and never take a global lock; returned collections are read-only views
 * or snapshots that cannot change the registry. It covers this instance; {@link Presence}
 * counts the whole cluster and {@link SessionGroups#findIds(String, int)} lists the
 * groups of the whole cluster. Applications read it; only the endpoint registers and
 * unregisters:
 *
 * <pre class="code">
 * Collection&lt;LiveConnection&gt; tabs = registry.findByGroup("user:alice");
 * int open = registry.getConnectionCount();
 * </pre>
 *
 * @author livesession
 * @since 0.1.0
 */
public interface ConnectionRegistry {

	/**
	 * Add a connection. Called by the endpoint once the handshake succeeded.
	 * @param connection the connection
	 */
	void register(LiveConnection connection);

	/**
	 * Remove a connection; a no-op if it is not registered.
	 * @param connection the connection
	 * @return {@code true} if it was registered
	 */
	boolean unregister(LiveConnection connection);

	/**
	 * The connection with the given id.
	 * @param connectionId the id
	 * @return the connection or {@code null}
	 */
	@Nullable LiveConnection find(String connectionId);

	/**
	 * The connections of a group.
	 * @param groupId the group id
	 * @return a read-only view, empty when none
	 */
	Collection<LiveConnection> findByGroup(String groupId);

	/**
	 * The connections of a user.
	 * @param userId the user id
	 * @return a read-only view, empty when none
	 */
	Collection<LiveConnection> findByUser(String userId);

	/**
	 * All connections.
	 * @return a read-only view
	 */
	Collection<LiveConnection> findAll();

	/**
	 * Ids of the groups that have at least one connection.
	 * @return a read-only view
	 */
	Set<String> getGroupIds();

	/**
	 * Ids of the users that have at least one connection.
	 * @return a read-only view
	 */
	Set<String> getUserIds();

	/**
	 * Number of connections.
	 * @return the count
	 */
	int getConnectionCount();

	/**
	 * Number of groups with at least one connection.
	 * @return the count
	 */
	int getGroupCount();

	/**
	 * Number of users with at least one connection.
	 * @return the count
	 */
	int getUserCount();

}
