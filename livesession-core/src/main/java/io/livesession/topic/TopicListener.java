package io.livesession.topic;

import io.livesession.LiveConnection;

/**
 * Told when a connection of this instance joins or leaves a topic, after the membership
 * changed; a connection that closes leaves each of its topics. Called concurrently for
 * different connections: an implementation must be thread-safe and return quickly, except
 * for a bounded wait in {@link #topicJoined} that must precede the answer to the join
 * (the Redis delivery channel waits there, at most its command timeout, for the
 * subscription of the topic's channel).
 *
 * @author livesession
 * @since 0.1.0
 */
public interface TopicListener {

	/**
	 * A connection joined a topic.
	 * @param connection the connection
	 * @param topic the topic
	 */
	void topicJoined(LiveConnection connection, String topic);

	/**
	 * A connection left a topic, or closed while a member.
	 * @param connection the connection
	 * @param topic the topic
	 */
	void topicLeft(LiveConnection connection, String topic);

}
