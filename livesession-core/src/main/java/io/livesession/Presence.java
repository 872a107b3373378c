package io.livesession;

import java.util.Set;

/**
 * Who is online: counts of connections, users and groups, and whether a user is
 * connected. On one instance this is the {@link ConnectionRegistry}; with Redis it spans
 * the cluster.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface Presence {

	/**
	 * Whether the counts span every instance of the cluster rather than this one.
	 * @return {@code true} for cluster-wide presence
	 */
	default boolean isClusterWide() {
		return false;
	}

	/**
	 * Open connections.
	 * @return the count
	 */
	long getConnectionCount();

	/**
	 * Users with at least one open connection.
	 * @return the count
	 */
	long getUserCount();

	/**
	 * Groups with at least one open connection.
	 * @return the count
	 */
	long getGroupCount();

	/**
	 * Whether a user has at least one open connection.
	 * @param userId the user id
	 * @return {@code true} if online
	 */
	boolean isOnline(String userId);

	/**
	 * The users with at least one open connection.
	 * @return the user ids
	 */
	Set<String> getOnlineUserIds();

}
