package io.livesession;

/**
 * Pushes raw frames to connections from any service. A {@link String} becomes a text
 * frame, a {@code byte[]} or {@link java.nio.ByteBuffer} a binary frame, a {@link Frame}
 * is sent as is, and any other object is serialized once per broadcast as JSON. Frames
 * carry no envelope. A closed or failing connection never stops delivery to the others.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface Broadcaster {

	/**
	 * Send a payload to every connection matching the target.
	 * @param target who receives it
	 * @param payload the payload
	 * @return the number of connections of this instance it was queued for
	 */
	int send(BroadcastTarget target, Object payload);

	/**
	 * Send a payload to every connection.
	 * @param payload the payload
	 * @return the number of connections it was queued for
	 */
	default int sendToAll(Object payload) {
		return send(BroadcastTarget.all(), payload);
	}

	/**
	 * Send a payload to every connection of a user.
	 * @param userId the user id
	 * @param payload the payload
	 * @return the number of connections it was queued for
	 */
	default int sendToUser(String userId, Object payload) {
		return send(BroadcastTarget.users(userId), payload);
	}

	/**
	 * Send a payload to every connection of a group.
	 * @param groupId the group id
	 * @param payload the payload
	 * @return the number of connections it was queued for
	 */
	default int sendToGroup(String groupId, Object payload) {
		return send(BroadcastTarget.groups(groupId), payload);
	}

}
