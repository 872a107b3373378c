package io.livesession.redis;

import io.livesession.event.RevocationReason;
import io.livesession.revocation.Revocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A revocation as it travels between instances:
 * {@code {"o":origin,"k":kind,"id":id,"r":reason,"x":spared user}}, {@code x} only when a
 * user is spared.
 *
 * @param origin the publishing instance
 * @param revocation the revocation
 * @author livesession
 */
record RevocationMessage(String origin, Revocation revocation) {

	String encode(JsonMapper mapper) {
		ObjectNode message = mapper.createObjectNode();
		message.put("o", this.origin);
		message.put("k", this.revocation.kind().name());
		message.put("id", this.revocation.id());
		message.put("r", this.revocation.reason().name());
		if (this.revocation.exceptUserId() != null) {
			message.put("x", this.revocation.exceptUserId());
		}
		return mapper.writeValueAsString(message);
	}

	/**
	 * Decode a message of the revocation channel.
	 * @param mapper the JSON mapper
	 * @param message the message
	 * @return the decoded message
	 * @throws RuntimeException if it is not a revocation of this version
	 */
	static RevocationMessage decode(JsonMapper mapper, String message) {
		JsonNode node = mapper.readTree(message);
		JsonNode except = node.get("x");
		String spared = (except != null && except.isString()) ? except.asString() : null;
		return new RevocationMessage(node.path("o").asString(),
				new Revocation(Revocation.Kind.valueOf(node.path("k").asString()), node.path("id").asString(),
						RevocationReason.valueOf(node.path("r").asString()), spared));
	}

}
