package io.livesession.endpoint;

import java.util.List;

import io.livesession.LiveActionException;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.Topics;
import io.livesession.delivery.ManagedConnection;
import io.livesession.protocol.ProtocolFrames;
import io.livesession.topic.TopicAuthorizer;
import io.livesession.topic.TopicIndex;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPosition;
import io.livesession.topic.TopicPublication;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Answers {@code subscribe} and {@code unsubscribe} frames: checks the frame (nothing
 * changes for a bad one), asks the {@link TopicAuthorizer} (none means every subscribe is
 * refused), joins, replies where the topic stands, then replays the publications a
 * recovering client missed. Live publications of a recoverable topic are held back from
 * before the join until the replay was queued, so that each arrives once, in order, after
 * the reply.
 *
 * @author livesession
 */
final class TopicSubscriptions {

	// Logged under the endpoint's name, as its other parts: log settings name it.
	private static final Log logger = LogFactory.getLog(LiveEndpoint.class);

	private static final String INVALID_NAME = "'topic' must be 1 to " + Topics.MAX_NAME_LENGTH
			+ " characters of A-Z a-z 0-9 : . _ - / @ =";

	private final TopicIndex topics;

	private final @Nullable TopicLog log;

	private final @Nullable TopicAuthorizer authorizer;

	private final ProtocolFrames frames;

	TopicSubscriptions(TopicIndex topics, @Nullable TopicLog log, @Nullable TopicAuthorizer authorizer,
			ProtocolFrames frames) {
		this.topics = topics;
		this.log = log;
		this.authorizer = authorizer;
		this.frames = frames;
	}

	void subscribe(ManagedConnection connection, JsonNode frame, @Nullable String ref) {
		String topic = topic(frame);
		TopicPosition from = from(frame);
		if (!connection.getTopics().contains(topic)
				&& connection.getTopics().size() >= this.topics.getMaxPerConnection()) {
			throw LiveActionException.badRequest("'topic': the connection is in " + this.topics.getMaxPerConnection()
					+ " topics already, as many as it may be");
		}
		if (!authorized(connection, topic)) {
			throw new LiveActionException(LiveActionException.FORBIDDEN, "Not allowed to subscribe to this topic");
		}
		TopicLog history = this.log;
		if (history == null || !history.isRecoverable(topic)) {
			join(connection, topic);
			connection.send(this.frames.subscribed(ref, topic, null, null, false));
			return;
		}
		this.topics.holdBack(connection, topic);
		long last = -1;
		try {
			// Where the topic stands before the join: what is published while joining
			// (a presence listener announcing this very member, say) is replayed to a
			// client that has nothing to recover from, instead of being counted as seen.
			TopicPosition before = history.position(topic);
			join(connection, topic);
			last = recover(connection, history, topic, from, before, ref);
		}
		catch (SessionGroupUnavailableException ex) {
			// The history is out of reach: nothing changes, the client may try again.
			this.topics.leave(connection, topic);
			throw new LiveActionException(LiveActionException.UNAVAILABLE,
					"The topic history is unavailable; nothing was changed");
		}
		finally {
			this.topics.release(connection, topic, last);
		}
	}

	/**
	 * Reply where the client stands, the offset after which every publication follows the
	 * reply, and queue the publications it missed. Read after the join, so that every
	 * later publication is held back and follows too.
	 * @param before where the topic stood before the join
	 * @return the offset of the last publication the client has now
	 */
	private long recover(ManagedConnection connection, TopicLog history, String topic, @Nullable TopicPosition from,
			TopicPosition before, @Nullable String ref) {
		List<TopicPublication> missed = (from != null) ? history.since(topic, from) : null;
		boolean recovered = missed != null;
		TopicPosition start = from;
		if (missed == null) {
			// Nothing to recover from, or not all of it: the client starts again from
			// where the topic stood before the join; what was published up to there is
			// not sent, what was published while joining is.
			start = before;
			missed = history.since(topic, before);
		}
		if (missed == null) {
			// A new epoch began while joining: the client starts from where it stands.
			TopicPosition position = history.position(topic);
			connection.send(this.frames.subscribed(ref, topic, position.offset(), position.epoch(), false));
			return position.offset();
		}
		connection.send(this.frames.subscribed(ref, topic, start.offset(), start.epoch(), recovered));
		long last = missed.isEmpty() ? start.offset() : missed.get(missed.size() - 1).offset();
		for (TopicPublication publication : missed) {
			connection
				.send(this.frames.publication(topic, publication.data(), publication.offset(), publication.epoch()));
		}
		return last;
	}

	void unsubscribe(ManagedConnection connection, JsonNode frame, @Nullable String ref) {
		String topic = topic(frame);
		this.topics.leave(connection, topic);
		connection.send(this.frames.subscribed(ref, topic, null, null, false));
	}

	private boolean authorized(ManagedConnection connection, String topic) {
		TopicAuthorizer topicAuthorizer = this.authorizer;
		if (topicAuthorizer == null) {
			return false;
		}
		try {
			return topicAuthorizer.canSubscribe(connection, topic);
		}
		catch (RuntimeException ex) {
			// Logged here, never sent: the message may hold secrets. Refused, as a
			// failing check must not let anyone in.
			logger.error("Topic authorizer failed for " + connection.getId() + " and topic " + topic, ex);
			throw new LiveActionException(LiveActionException.INTERNAL, "The subscription failed");
		}
	}

	private void join(ManagedConnection connection, String topic) {
		try {
			this.topics.join(connection, topic);
		}
		catch (IllegalArgumentException ex) {
			// Full by a join of server code since the check.
			throw LiveActionException.badRequest("'topic': " + ex.getMessage());
		}
	}

	private static String topic(JsonNode frame) {
		JsonNode topic = frame.get("topic");
		if (topic == null || !topic.isString()) {
			throw LiveActionException.badRequest("Frame needs a string 'topic'");
		}
		if (!Topics.isValidName(topic.stringValue())) {
			throw LiveActionException.badRequest(INVALID_NAME);
		}
		return topic.stringValue();
	}

	/** Where a recovering client stands, when it says so. */
	private static @Nullable TopicPosition from(JsonNode frame) {
		JsonNode offset = frame.get("offset");
		JsonNode epoch = frame.get("epoch");
		boolean hasOffset = offset != null && !offset.isNull();
		boolean hasEpoch = epoch != null && !epoch.isNull();
		if (hasOffset && (!offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0)) {
			throw LiveActionException.badRequest("'offset' must be a non-negative integer");
		}
		if (hasEpoch && (!epoch.isString() || epoch.stringValue().isEmpty())) {
			throw LiveActionException.badRequest("'epoch' must be a non-empty string");
		}
		return (hasOffset && hasEpoch) ? new TopicPosition(offset.longValue(), epoch.stringValue()) : null;
	}

}
