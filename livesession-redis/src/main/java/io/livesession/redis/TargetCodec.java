package io.livesession.redis;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes a broadcast (its target as data, and its frame) as one pub/sub message, so each
 * instance matches the target against its own registry. What travels is a
 * {@link DeliveryMessage}: {@code {"o":origin,"t":target,"x":text}} for a text frame,
 * {@code "b":base64} instead of {@code "x"} for a binary one, plus {@code "v":version}
 * and {@code "full":true|false} for a state frame, and {@code "tp":topic} and
 * {@code "p":offset} for a topic's {@code publication} frame.
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
		return DeliveryMessage.of(origin, target, frame).encode(this.mapper);
	}

	/**
	 * The message of a topic's publication whose offset and epoch only the topic log's
	 * script knows, in four pieces: {@code pieces[0] + offset + pieces[1] + epoch +
	 * pieces[2] + offset + pieces[3]} is the message of the publication frame
	 * {@code head + offset + middle + epoch + tail}. Offsets and epochs need no JSON
	 * escaping, so escaping the pieces one by one escapes the whole.
	 * @param origin the publishing instance
	 * @param topic the topic
	 * @param head the frame's text before its offset
	 * @param middle the frame's text between its offset and its epoch
	 * @param tail the frame's text after its epoch
	 * @return the pieces
	 */
	List<String> publicationPieces(String origin, String topic, String head, String middle, String tail) {
		ObjectNode target = new TargetData("topic", List.of(topic), null).toJson(this.mapper);
		String start = "{\"o\":" + this.mapper.writeValueAsString(origin) + ",\"t\":"
				+ this.mapper.writeValueAsString(target) + ",\"x\":\"";
		return List.of(start + escaped(head), escaped(middle),
				escaped(tail) + "\",\"tp\":" + this.mapper.writeValueAsString(topic) + ",\"p\":", "}");
	}

	private String escaped(String text) {
		String quoted = this.mapper.writeValueAsString(text);
		return quoted.substring(1, quoted.length() - 1);
	}

	/**
	 * Decode a message.
	 * @param message the message
	 * @param fullState loads a group's full-state frame, for coalescing remote state
	 * frames
	 * @return the decoded broadcast
	 * @throws RuntimeException if it is not a message of this version
	 */
	Decoded decode(String message, Function<String, Frame> fullState) {
		DeliveryMessage decoded = DeliveryMessage.decode(this.mapper, message);
		BroadcastTarget target = decoded.target().toTarget();
		return new Decoded(decoded.origin(), target, decoded.toFrame(target, fullState));
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

	/**
	 * A broadcast on the wire.
	 *
	 * @param origin the publishing instance ({@code o})
	 * @param target the target ({@code t})
	 * @param text a text frame's text ({@code x})
	 * @param binary a binary frame's payload, Base64 ({@code b})
	 * @param version a state frame's version ({@code v})
	 * @param full whether a state frame carries the whole state ({@code full})
	 * @param topic a publication frame's topic ({@code tp})
	 * @param topicOffset a publication frame's offset ({@code p}), -1 when it has none
	 */
	record DeliveryMessage(String origin, TargetData target, @Nullable String text, @Nullable String binary,
			@Nullable Long version, boolean full, @Nullable String topic, long topicOffset) {

		static DeliveryMessage of(String origin, BroadcastTarget target, Frame frame) {
			String text = null;
			String binary = null;
			if (frame.isText()) {
				text = frame.getText();
			}
			else {
				ByteBuffer payload = frame.getPayload();
				byte[] bytes = new byte[payload.remaining()];
				payload.get(bytes);
				binary = Base64.getEncoder().encodeToString(bytes);
			}
			Long version = frame.isState() ? frame.getStateVersion() : null;
			return new DeliveryMessage(origin, TargetData.of(target), text, binary, version,
					frame.isState() && frame.isFullState(), frame.getTopic(), frame.getTopicOffset());
		}

		String encode(JsonMapper mapper) {
			ObjectNode message = mapper.createObjectNode();
			message.put("o", this.origin);
			message.set("t", this.target.toJson(mapper));
			if (this.text != null) {
				message.put("x", this.text);
			}
			else {
				message.put("b", this.binary);
			}
			if (this.version != null) {
				message.put("v", this.version);
				message.put("full", this.full);
			}
			if (this.topic != null) {
				message.put("tp", this.topic);
				message.put("p", this.topicOffset);
			}
			return mapper.writeValueAsString(message);
		}

		static DeliveryMessage decode(JsonMapper mapper, String message) {
			JsonNode node = mapper.readTree(message);
			boolean binary = node.has("b");
			return new DeliveryMessage(node.get("o").asString(), TargetData.of(node.get("t")),
					binary ? null : node.get("x").asString(), binary ? node.get("b").asString() : null,
					node.has("v") ? node.get("v").asLong() : null, node.path("full").asBoolean(),
					node.has("tp") ? node.get("tp").asString() : null, node.path("p").asLong(-1));
		}

		Frame toFrame(BroadcastTarget target, Function<String, Frame> fullState) {
			if (this.binary != null) {
				return Frame.binary(Base64.getDecoder().decode(this.binary));
			}
			String text = this.text;
			if (this.topic != null) {
				return Frame.publication(text, this.topic, this.topicOffset);
			}
			if (this.version == null) {
				return Frame.text(text);
			}
			if (this.full || !(target instanceof BroadcastTarget.Groups groups) || groups.groupIds().size() != 1) {
				return Frame.state(text, this.version);
			}
			// A delta of one group: a connection that lags may get the whole state
			// instead.
			String groupId = groups.groupIds().iterator().next();
			return Frame.state(text, this.version, () -> fullState.apply(groupId));
		}

	}

	/**
	 * A broadcast's target on the wire: {@code {"k":kind}} with {@code "ids":[...]} for
	 * users, groups and connections, the topic's name alone for a topic, or
	 * {@code "a":authority}.
	 *
	 * @param kind {@code all}, {@code users}, {@code groups}, {@code connections},
	 * {@code topic} or {@code authority} ({@code k})
	 * @param ids the ids ({@code ids}), empty for the other kinds
	 * @param authority the authority ({@code a})
	 */
	record TargetData(String kind, List<String> ids, @Nullable String authority) {

		static TargetData of(BroadcastTarget target) {
			if (target instanceof BroadcastTarget.All) {
				return new TargetData("all", List.of(), null);
			}
			if (target instanceof BroadcastTarget.Users users) {
				return new TargetData("users", List.copyOf(users.userIds()), null);
			}
			if (target instanceof BroadcastTarget.Groups groups) {
				return new TargetData("groups", List.copyOf(groups.groupIds()), null);
			}
			if (target instanceof BroadcastTarget.Connections connections) {
				return new TargetData("connections", List.copyOf(connections.connectionIds()), null);
			}
			if (target instanceof BroadcastTarget.Topic topic) {
				return new TargetData("topic", List.of(topic.name()), null);
			}
			if (target instanceof BroadcastTarget.Authority authority) {
				return new TargetData("authority", List.of(), authority.authority());
			}
			throw new IllegalArgumentException("Not a data target: " + target);
		}

		static TargetData of(JsonNode node) {
			List<String> ids = new ArrayList<>();
			JsonNode array = node.get("ids");
			if (array != null) {
				array.forEach((id) -> ids.add(id.asString()));
			}
			JsonNode authority = node.get("a");
			return new TargetData(node.get("k").asString(), ids, (authority != null) ? authority.asString() : null);
		}

		ObjectNode toJson(JsonMapper mapper) {
			ObjectNode node = mapper.createObjectNode();
			node.put("k", this.kind);
			if (this.authority != null) {
				node.put("a", this.authority);
			}
			else if (!this.kind.equals("all")) {
				this.ids.forEach(node.putArray("ids")::add);
			}
			return node;
		}

		BroadcastTarget toTarget() {
			return switch (this.kind) {
				case "all" -> BroadcastTarget.all();
				case "users" -> new BroadcastTarget.Users(new HashSet<>(this.ids));
				case "groups" -> new BroadcastTarget.Groups(new HashSet<>(this.ids));
				case "connections" -> new BroadcastTarget.Connections(new HashSet<>(this.ids));
				case "topic" -> BroadcastTarget.topic(this.ids.get(0));
				case "authority" -> BroadcastTarget.authority(this.authority);
				default -> throw new IllegalArgumentException("Unknown target kind " + this.kind);
			};
		}

	}

}
