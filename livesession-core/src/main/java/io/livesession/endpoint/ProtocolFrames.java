package io.livesession.endpoint;

import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.SessionGroup;
import io.livesession.group.SessionGroupManager;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes the server frames of the live protocol.
 *
 * @author livesession
 */
final class ProtocolFrames {

	private final JsonMapper mapper;

	private final SessionGroupManager groups;

	ProtocolFrames(JsonMapper mapper, SessionGroupManager groups) {
		this.mapper = mapper;
		this.groups = groups;
	}

	Frame hello(LiveConnection connection, SessionGroup group) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "hello");
		frame.put("connectionId", connection.getId());
		frame.put("userId", connection.getUserId());
		frame.put("version", group.getVersion());
		frame.set("state", this.groups.toStateNode(group));
		return Frame.text(this.mapper.writeValueAsString(frame));
	}

	Frame fullState(SessionGroup group) {
		return Frame.state(this.groups.fullStateFrame(group), group.getVersion());
	}

	Frame reply(String ref, @Nullable Object data) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "reply");
		frame.put("ref", ref);
		frame.set("data", this.mapper.valueToTree(data));
		return Frame.text(this.mapper.writeValueAsString(frame));
	}

	Frame error(@Nullable String ref, String code, String message) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put("type", "error");
		frame.put("ref", ref);
		frame.put("code", code);
		frame.put("message", message);
		return Frame.text(this.mapper.writeValueAsString(frame));
	}

}
