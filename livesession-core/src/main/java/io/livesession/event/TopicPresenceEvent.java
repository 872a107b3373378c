package io.livesession.event;

import org.springframework.context.ApplicationEvent;

/**
 * A user's first connection joined a topic, or its last one left it: on one instance for
 * this instance's connections, on Redis once for the whole cluster. Anonymous connections
 * raise none.
 *
 * @author livesession
 * @since 0.2.0
 */
public final class TopicPresenceEvent extends ApplicationEvent {

	private final String topic;

	private final String userId;

	private final boolean joined;

	/**
	 * Create an event.
	 * @param source where it comes from
	 * @param topic the topic
	 * @param userId the user
	 * @param joined {@code true} when the user joined, {@code false} when it left
	 */
	public TopicPresenceEvent(Object source, String topic, String userId, boolean joined) {
		super(source);
		this.topic = topic;
		this.userId = userId;
		this.joined = joined;
	}

	/**
	 * The topic.
	 * @return the topic name
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * The user.
	 * @return the user id
	 */
	public String getUserId() {
		return this.userId;
	}

	/**
	 * Whether the user joined (first connection) rather than left (last connection).
	 * @return {@code true} when joined
	 */
	public boolean isJoined() {
		return this.joined;
	}

	@Override
	public String toString() {
		return "TopicPresenceEvent[topic=" + this.topic + ", userId=" + this.userId + ", joined=" + this.joined + "]";
	}

}
