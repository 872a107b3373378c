package io.livesession.topic;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The history of recoverable topics: each publication gets the next offset of its topic,
 * and the last ones (a count and an age, both bounded) are kept so that a client that
 * reconnects can ask for those it missed. In memory on one instance; on Redis a stream
 * per topic, shared by the cluster.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface TopicLog {

	/**
	 * Whether a topic's publications are kept, by the configured patterns.
	 * @param topic the topic
	 * @return {@code true} for a recoverable topic
	 */
	boolean isRecoverable(String topic);

	/**
	 * Keep a publication of a recoverable topic.
	 * @param topic the topic
	 * @param data the payload as JSON text
	 * @return the publication with its offset and epoch
	 * @throws io.livesession.SessionGroupUnavailableException when the store cannot be
	 * reached
	 */
	TopicPublication append(String topic, String data);

	/**
	 * Where a topic stands now.
	 * @param topic the topic
	 * @return the offset of its last publication and its epoch
	 */
	TopicPosition position(String topic);

	/**
	 * The publications after a position, oldest first.
	 * @param topic the topic
	 * @param from the last position the client has seen
	 * @return the publications after it (empty when it is up to date), or {@code null}
	 * when they cannot all be given: another epoch, or the history no longer reaches back
	 * that far
	 */
	@Nullable List<TopicPublication> since(String topic, TopicPosition from);

}
