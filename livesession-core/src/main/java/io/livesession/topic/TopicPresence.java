package io.livesession.topic;

import java.util.Set;

/**
 * Who is in a topic: connection counts and user ids, kept up to date as a
 * {@link TopicListener}, and a {@link io.livesession.event.TopicPresenceEvent} when a
 * user's first connection joins a topic and when its last one leaves. In memory it counts
 * this instance; on Redis the whole cluster.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface TopicPresence extends TopicListener {

	/**
	 * How many connections are members of a topic.
	 * @param topic the topic
	 * @return the count
	 */
	long getMemberCount(String topic);

	/**
	 * The users with at least one connection in a topic.
	 * @param topic the topic
	 * @return the user ids
	 */
	Set<String> getMemberUserIds(String topic);

}
