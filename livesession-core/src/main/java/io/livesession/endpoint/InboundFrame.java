package io.livesession.endpoint;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * One text frame a client sent, parsed and checked before anything acts on it: JSON, an
 * object, a valid {@code ref}, well-formed text and a string {@code type}. The checks run
 * in that order and the first failure is what the client is told.
 *
 * @author livesession
 */
final class InboundFrame {

	/** The longest {@code ref} a client may send. */
	static final int MAX_REF_LENGTH = 64;

	private static final String NOT_JSON = "Frame is not valid JSON";

	private final @Nullable JsonNode json;

	private final String notJson;

	private final boolean validRef;

	private final @Nullable String ref;

	private InboundFrame(@Nullable JsonNode json, String notJson) {
		this.json = json;
		this.notJson = notJson;
		JsonNode refNode = (json != null && json.isObject()) ? json.get("ref") : null;
		this.validRef = refNode == null || refNode.isNull()
				|| (refNode.isString() && refNode.stringValue().length() <= MAX_REF_LENGTH);
		this.ref = (this.validRef && refNode != null && refNode.isString()) ? refNode.stringValue() : null;
	}

	/**
	 * Parse a frame; a frame that is not JSON is kept as such, to be refused in turn.
	 * @param reader reads one JSON value, with nothing after it
	 * @param text the frame
	 * @return the parsed frame
	 */
	static InboundFrame parse(ObjectReader reader, String text) {
		try {
			return new InboundFrame(reader.readValue(text), NOT_JSON);
		}
		catch (JacksonException ex) {
			return new InboundFrame(null, notJson(ex));
		}
	}

	/**
	 * What a client is told about a frame that does not parse: a duplicate key (refused
	 * by a strict mapper) is named, other failures are not detailed.
	 * @param ex the failure
	 * @return the message
	 */
	static String notJson(JacksonException ex) {
		String message = ex.getOriginalMessage();
		return (message != null && message.startsWith("Duplicate Object property"))
				? NOT_JSON + ": a field appears twice" : NOT_JSON;
	}

	/**
	 * The frame's {@code ref}, when it has a valid one: it lets the client tell which
	 * action an answer is for.
	 * @return the ref, or {@code null}
	 */
	@Nullable String ref() {
		return this.ref;
	}

	/**
	 * The {@code action} field when it is a string, for a refusal that names it.
	 * @return the action name, or an empty string
	 */
	String actionName() {
		JsonNode action = (this.json != null) ? this.json.path("action") : null;
		return (action != null && action.isString()) ? action.stringValue() : "";
	}

	/**
	 * Why the frame is refused with {@code bad_request}.
	 * @return the refusal, or {@code null} for a frame that may be dispatched
	 */
	@Nullable Invalid invalid() {
		JsonNode frame = this.json;
		if (frame == null || frame.isMissingNode()) {
			return new Invalid(null, this.notJson);
		}
		if (!frame.isObject()) {
			return new Invalid(null, "Frame must be a JSON object");
		}
		if (!this.validRef) {
			return new Invalid(null, "'ref' must be a string of at most " + MAX_REF_LENGTH + " characters");
		}
		String invalidText = InboundText.findInvalid(frame);
		if (invalidText != null) {
			return new Invalid((this.ref != null && InboundText.isWellFormed(this.ref)) ? this.ref : null,
					invalidText + ": " + InboundText.INVALID_TEXT);
		}
		JsonNode type = frame.get("type");
		if (type == null || !type.isString()) {
			return new Invalid(this.ref, "Frame needs a string 'type'");
		}
		return null;
	}

	/**
	 * The frame, once {@link #invalid()} found nothing wrong with it.
	 * @return the JSON object
	 */
	JsonNode json() {
		Assert.state(this.json != null, "Not a valid frame");
		return this.json;
	}

	/**
	 * The frame's type, once {@link #invalid()} found nothing wrong with it.
	 * @return the type
	 */
	String type() {
		return json().get("type").stringValue();
	}

	/**
	 * A frame refused with {@code bad_request}.
	 *
	 * @param ref the ref the error carries, or {@code null}
	 * @param message what the client is told
	 */
	record Invalid(@Nullable String ref, String message) {
	}

}
