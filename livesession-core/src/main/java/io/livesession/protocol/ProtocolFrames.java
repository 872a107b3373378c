package io.livesession.protocol;

import java.util.Map;
import java.util.function.Supplier;

import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.SessionGroup;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * The one builder of the frames the server sends, as the wire protocol specifies them:
 * every {@code hello}, {@code state}, {@code reply}, {@code error} and
 * {@code publication} of the WebSocket endpoint, the HTTP actions, the group state pushes
 * and the topics is made here, so that their fields and field order cannot drift apart.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ProtocolFrames {

	private final JsonMapper mapper;

	/**
	 * Create a builder.
	 * @param mapper encodes the frames and the values they carry
	 */
	public ProtocolFrames(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The first frame of a connection: its id, its user and its group's whole state.
	 * @param connection the connection
	 * @param group a snapshot of its group
	 * @return the {@code hello} frame
	 */
	public Frame hello(LiveConnection connection, SessionGroup group) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "hello");
		frame.put("connectionId", connection.getId());
		frame.put("userId", connection.getUserId());
		frame.put("version", group.getVersion());
		frame.set("state", state(group));
		return Frame.text(this.mapper.writeValueAsString(frame));
	}

	/**
	 * The {@code state} frame with {@code full: true} of a group.
	 * @param group the group
	 * @return the frame, a state frame at the group's version
	 */
	public Frame fullState(SessionGroup group) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "state");
		frame.put("version", group.getVersion());
		frame.set("state", state(group));
		frame.put("full", true);
		return Frame.state(this.mapper.writeValueAsString(frame), group.getVersion());
	}

	/**
	 * The {@code state} frame of one committed change: only the attributes that changed,
	 * a removed one as {@code null}.
	 * @param version the group's version after the change
	 * @param changes the changed attributes, in order
	 * @param fullState the full state at that version, for a connection that lags
	 * @return the frame
	 */
	public Frame stateChange(long version, Map<String, @Nullable JsonNode> changes, Supplier<Frame> fullState) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "state");
		frame.put("version", version);
		ObjectNode state = frame.putObject("state");
		changes.forEach((name, node) -> {
			if (node != null) {
				state.set(name, node);
			}
			else {
				state.putNull(name);
			}
		});
		return Frame.state(this.mapper.writeValueAsString(frame), version, fullState);
	}

	/**
	 * The {@code reply} to an action that carried a {@code ref}.
	 * @param ref the action's ref
	 * @param data the handler's result
	 * @return the frame
	 */
	public Frame reply(String ref, @Nullable Object data) {
		return Frame.text(this.mapper.writeValueAsString(replyNode(ref, data)));
	}

	/**
	 * The {@code error} frame of a failed action or frame.
	 * @param ref the ref of the action, or {@code null}
	 * @param code the protocol's error code
	 * @param message what the client is told
	 * @return the frame
	 */
	public Frame error(@Nullable String ref, String code, String message) {
		return Frame.text(this.mapper.writeValueAsString(errorNode(ref, code, message)));
	}

	/**
	 * A {@code publication} frame of a topic.
	 * @param topic the topic
	 * @param data the payload as JSON text, written as it is
	 * @param offset the publication's offset in a recoverable topic, or -1
	 * @param epoch the epoch of a recoverable topic's history, or {@code null}
	 * @return the frame, with its topic and offset
	 * @since 0.1.0
	 */
	public Frame publication(String topic, String data, long offset, @Nullable String epoch) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "publication");
		frame.put("topic", topic);
		frame.putRawValue("data", new RawValue(data));
		if (offset >= 0 && epoch != null) {
			frame.put("offset", offset);
			frame.put("epoch", epoch);
		}
		return Frame.publication(this.mapper.writeValueAsString(frame), topic, (epoch != null) ? offset : -1);
	}

	/**
	 * The {@code reply} to a {@code subscribe} (where the client stands and whether the
	 * publications it missed follow) or to an {@code unsubscribe} (no offset, no epoch,
	 * not recovered), in the one shape the protocol gives both.
	 * @param ref the frame's ref, or {@code null}
	 * @param topic the topic
	 * @param offset the offset the client has now, or {@code null} for a topic that is
	 * not recoverable
	 * @param epoch the topic's epoch, or {@code null} for a topic that is not recoverable
	 * @param recovered whether the publications after the client's offset follow
	 * @return the frame
	 * @since 0.1.0
	 */
	public Frame subscribed(@Nullable String ref, String topic, @Nullable Long offset, @Nullable String epoch,
			boolean recovered) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "reply");
		if (ref != null) {
			frame.put("ref", ref);
		}
		ObjectNode data = frame.putObject("data");
		data.put("topic", topic);
		data.put("offset", offset);
		data.put("epoch", epoch);
		data.put("recovered", recovered);
		return Frame.text(this.mapper.writeValueAsString(frame));
	}

	/**
	 * The body of an HTTP action's answer: a {@code reply} without a {@code ref}. A tree,
	 * not text, so that it is written to the response as before, with the mapper's stream
	 * encoding.
	 * @param data the handler's result
	 * @return the body
	 */
	public ObjectNode httpReply(@Nullable Object data) {
		return replyNode(null, data);
	}

	/**
	 * The body of a refused HTTP action: the {@code error} frame with a {@code null} ref,
	 * so that a client handles both transports' errors alike.
	 * @param code the protocol's error code
	 * @param message what the client is told
	 * @return the body
	 */
	public ObjectNode httpError(String code, String message) {
		return errorNode(null, code, message);
	}

	private ObjectNode replyNode(@Nullable String ref, @Nullable Object data) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "reply");
		if (ref != null) {
			frame.put("ref", ref);
		}
		frame.set("data", this.mapper.valueToTree(data));
		return frame;
	}

	private ObjectNode errorNode(@Nullable String ref, String code, String message) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "error");
		frame.put("ref", ref);
		frame.put("code", code);
		frame.put("message", message);
		return frame;
	}

	private ObjectNode state(SessionGroup group) {
		ObjectNode state = this.mapper.createObjectNode();
		for (String name : group.getAttributeNames()) {
			state.set(name, group.getAttributeNode(name));
		}
		return state;
	}

}
