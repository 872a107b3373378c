package io.livesession.redis;

import java.util.ArrayList;
import java.util.List;

import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.TopicPresenceEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's or group's first connection or last disconnection in the cluster, as the
 * presence scripts publish them: one message is a flat JSON array of kind and id pairs,
 * {@code ["u+","alice","g-","user:bob"]}, in the order they happened. The presence of
 * topics publishes {@code t+} and {@code t-} for a user's first join and last leave of a
 * topic, the id being {@code <topic> <userId>} (a topic name has no space).
 *
 * @param kind {@code u+}, {@code u-}, {@code g+}, {@code g-}, {@code t+} or {@code t-}
 * @param id the user or group id, or the topic and user id
 * @author livesession
 */
record PresenceTransition(String kind, String id) {

	/**
	 * Decode a message of the presence channel.
	 * @param mapper the JSON mapper
	 * @param message the message
	 * @return its transitions, in order
	 */
	static List<PresenceTransition> decode(JsonMapper mapper, String message) {
		JsonNode pairs = mapper.readTree(message);
		List<PresenceTransition> transitions = new ArrayList<>(pairs.size() / 2);
		for (int i = 0; i + 1 < pairs.size(); i += 2) {
			transitions.add(new PresenceTransition(pairs.get(i).asString(), pairs.get(i + 1).asString()));
		}
		return transitions;
	}

	/**
	 * Encode transitions as one message, as the scripts do.
	 * @param mapper the JSON mapper
	 * @param transitions the transitions
	 * @return the message
	 */
	static String encode(JsonMapper mapper, List<PresenceTransition> transitions) {
		List<String> pairs = new ArrayList<>(2 * transitions.size());
		transitions.forEach((transition) -> {
			pairs.add(transition.kind());
			pairs.add(transition.id());
		});
		return mapper.writeValueAsString(pairs);
	}

	/**
	 * The application event of this transition.
	 * @param source the event's source
	 * @return the event, or {@code null} for a kind this version does not know
	 */
	@Nullable ApplicationEvent toEvent(Object source) {
		return switch (this.kind) {
			case "u+" -> new UserConnectedEvent(source, this.id);
			case "u-" -> new UserDisconnectedEvent(source, this.id);
			case "g+" -> new GroupOpenedEvent(source, this.id);
			case "g-" -> new GroupClosedEvent(source, this.id);
			case "t+", "t-" -> topicEvent(source);
			default -> null;
		};
	}

	private @Nullable ApplicationEvent topicEvent(Object source) {
		int space = this.id.indexOf(' ');
		return (space > 0) ? new TopicPresenceEvent(source, this.id.substring(0, space), this.id.substring(space + 1),
				this.kind.equals("t+")) : null;
	}

}
