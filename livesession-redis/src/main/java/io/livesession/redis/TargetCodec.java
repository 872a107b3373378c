package io.livesession.redis;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes a broadcast (its target as data, and its frame) as one pub/sub message, so each
 * instance matches the target against its own registry.
 *
 * @author livesession
 */
final class TargetCodec {

	private final JsonMapper mapper;

	TargetCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Encode a broadcast.
	 * @param origin the publishing instance
	 * @param target a data target (not {@link BroadcastTarget.Matching} or
	 * {@link BroadcastTarget.UserFilter})
	 * @param frame the frame
	 * @return the message
	 */
	String encode(String origin, BroadcastTarget target, Frame frame) {
		ObjectNode message = this.mapper.createObjectNode();
		message.put("o", origin);
		message.set("t", encodeTarget(target));
		if (frame.isText()) {
			message.put("x", frame.getText());
		}
		else {
			java.nio.ByteBuffer payload = frame.getPayload();
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			message.put("b", Base64.getEncoder().encodeToString(bytes));
		}
		if (frame.isState()) {
			message.put("v", frame.getStateVersion());
			message.put("full", frame.isFullState());
		}
		return this.mapper.writeValueAsString(message);
	}

	private ObjectNode encodeTarget(BroadcastTarget target) {
		ObjectNode node = this.mapper.createObjectNode();
		if (target instanceof BroadcastTarget.All) {
			node.put("k", "all");
		}
		else if (target instanceof BroadcastTarget.Users users) {
			ids(node.put("k", "users"), users.userIds());
		}
		else if (target instanceof BroadcastTarget.Groups groups) {
			ids(node.put("k", "groups"), groups.groupIds());
		}
		else if (target instanceof BroadcastTarget.Connections connections) {
			ids(node.put("k", "connections"), connections.connectionIds());
		}
		else if (target instanceof BroadcastTarget.Authority authority) {
			node.put("k", "authority").put("a", authority.authority());
		}
		else {
			throw new IllegalArgumentException("Not a data target: " + target);
		}
		return node;
	}

	private static void ids(ObjectNode node, Set<String> ids) {
		ArrayNode array = node.putArray("ids");
		ids.forEach(array::add);
	}

	/**
	 * Decode a message.
	 * @param message the message
	 * @param fullState loads a group's full-state frame, for coalescing remote state
	 * frames
	 * @return the decoded broadcast
	 */
	Decoded decode(String message, Function<String, Frame> fullState) {
		JsonNode node = this.mapper.readTree(message);
		BroadcastTarget target = decodeTarget(node.get("t"));
		Frame frame;
		if (node.has("b")) {
			frame = Frame.binary(Base64.getDecoder().decode(node.get("b").asString()));
		}
		else if (node.has("v")) {
			String text = node.get("x").asString();
			long version = node.get("v").asLong();
			if (node.path("full").asBoolean() || !(target instanceof BroadcastTarget.Groups groups)
					|| groups.groupIds().size() != 1) {
				frame = Frame.state(text, version);
			}
			else {
				String groupId = groups.groupIds().iterator().next();
				frame = Frame.state(text, version, () -> fullState.apply(groupId));
			}
		}
		else {
			frame = Frame.text(node.get("x").asString());
		}
		return new Decoded(node.get("o").asString(), target, frame);
	}

	private static BroadcastTarget decodeTarget(JsonNode node) {
		String kind = node.get("k").asString();
		return switch (kind) {
			case "all" -> BroadcastTarget.all();
			case "users" -> new BroadcastTarget.Users(ids(node));
			case "groups" -> new BroadcastTarget.Groups(ids(node));
			case "connections" -> new BroadcastTarget.Connections(ids(node));
			case "authority" -> BroadcastTarget.authority(node.get("a").asString());
			default -> throw new IllegalArgumentException("Unknown target kind " + kind);
		};
	}

	private static Set<String> ids(JsonNode node) {
		Set<String> ids = new HashSet<>();
		node.get("ids").forEach((id) -> ids.add(id.asString()));
		return ids;
	}

	/**
	 * A decoded broadcast.
	 *
	 * @param origin the publishing instance
	 * @param target the target
	 * @param frame the frame
	 */
	record Decoded(String origin, BroadcastTarget target, Frame frame) {

	}

}
