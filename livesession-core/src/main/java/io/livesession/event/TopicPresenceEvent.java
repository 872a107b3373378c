package io.livesession.event;

/**
 * A user's first connection joined a topic, or its last one left it: on one instance for
 * this instance's connections, on Redis once for the whole cluster. Anonymous connections
 * raise none. {@link #getId()} is the user id and {@link #isOnline()} whether the user
 * joined.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class TopicPresenceEvent extends PresenceEvent {

	private final String topic;

	/**
	 * Create an event.
	 * @param source where it comes from
	 * @param topic the topic
	 * @param userId the user
	 * @param joined {@code true} when the user joined, {@code false} when it left
	 */
	public TopicPresenceEvent(Object source, String topic, String userId, boolean joined) {
		super(source, userId, joined);
		this.topic = topic;
	}

	/**
	 * The topic.
	 * @return the topic name
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * The user, the same as {@link #getId()}.
	 * @return the user id
	 */
	public String getUserId() {
		return getId();
	}

	/**
	 * Whether the user joined (first connection) rather than left (last connection), the
	 * same as {@link #isOnline()}.
	 * @return {@code true} when joined
	 */
	public boolean isJoined() {
		return isOnline();
	}

	@Override
	public String toString() {
		return "TopicPresenceEvent[topic=" + this.topic + ", userId=" + getUserId() + ", joined=" + isJoined() + "]";
	}

}
