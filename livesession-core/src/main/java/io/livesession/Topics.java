package io.livesession;

import java.util.Collection;
import java.util.Set;

/**
 * Named topics (a chat room, a document, a project) that connections join and leave,
 * whatever their group: a broadcast to {@link BroadcastTarget#topic(String)} reaches
 * every member on every instance as a {@code publication} frame. Server code joins
 * connections from a connect hook, an action or any bean; a client may ask with a
 * {@code subscribe} frame, which a {@link io.livesession.topic.TopicAuthorizer} must
 * allow:
 *
 * <pre class="code">
 * topics.join(connection, "doc:42");
 * topics.join(BroadcastTarget.users("alice"), "doc:42"); // every tab of alice on this instance
 * broadcaster.send(BroadcastTarget.topic("doc:42"), Map.of("edited", true));
 * </pre>
 *
 * Topic names are 1 to {@value #MAX_NAME_LENGTH} characters of {@code A-Z a-z 0-9} and
 * {@code : . _ - / @ =}. Membership ends with {@link #leave} or when the connection
 * closes. Counts and user ids of members span the cluster when livesession runs on Redis.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface Topics {

	/** The longest topic name. */
	int MAX_NAME_LENGTH = 128;

	/**
	 * Join a connection to a topic.
	 * @param connection an open connection of this instance
	 * @param topic the topic name
	 * @return {@code true} if it joined, {@code false} if it was a member already
	 * @throws IllegalArgumentException if the name is invalid or the connection is in as
	 * many topics as {@code livesession.topics.max-per-connection} allows
	 */
	boolean join(LiveConnection connection, String topic);

	/**
	 * Join every connection of this instance that a target matches, e.g. every tab of a
	 * user or every connection of a group.
	 * @param target the connections
	 * @param topic the topic name
	 * @return how many connections joined
	 * @throws IllegalArgumentException if the name is invalid
	 */
	int join(BroadcastTarget target, String topic);

	/**
	 * Remove a connection from a topic.
	 * @param connection the connection
	 * @param topic the topic name
	 * @return {@code true} if it was a member
	 */
	boolean leave(LiveConnection connection, String topic);

	/**
	 * Remove every connection of this instance that a target matches from a topic.
	 * @param target the connections
	 * @param topic the topic name
	 * @return how many connections left
	 */
	int leave(BroadcastTarget target, String topic);

	/**
	 * The members of a topic on this instance.
	 * @param topic the topic name
	 * @return a read-only view, empty when none
	 */
	Collection<LiveConnection> findMembers(String topic);

	/**
	 * The topics with at least one member on this instance.
	 * @return a read-only view
	 */
	Set<String> getTopicNames();

	/**
	 * How many connections are members of a topic, on every instance.
	 * @param topic the topic name
	 * @return the count
	 */
	long getMemberCount(String topic);

	/**
	 * The users with at least one connection in a topic, on every instance; anonymous
	 * members are counted by {@link #getMemberCount(String)} only.
	 * @param topic the topic name
	 * @return the user ids
	 */
	Set<String> getMemberUserIds(String topic);

	/**
	 * Whether a name is a valid topic name.
	 * @param topic the name
	 * @return {@code true} if valid
	 */
	static boolean isValidName(String topic) {
		if (topic == null || topic.isEmpty() || topic.length() > MAX_NAME_LENGTH) {
			return false;
		}
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| ":._-/@=".indexOf(c) >= 0;
			if (!valid) {
				return false;
			}
		}
		return true;
	}

}
