package io.livesession.endpoint;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Finds text a client sent that is not well-formed Unicode. A WebSocket text frame is
 * valid UTF-8 (the container checks), but a JSON escape such as {@code "\ud800"} decodes
 * to an unpaired surrogate, which {@code JSON.stringify} produces in every browser and no
 * UTF-8 encoder accepts: stored or echoed, it would fail every frame that carries it.
 * Such input is refused before use; the path names the offending field.
 *
 * @author livesession
 */
final class InboundText {

	/** What a client is told about such text. */
	static final String INVALID_TEXT = "text with an unpaired surrogate (not valid Unicode)";

	private static final int MAX_PATH_LENGTH = 120;

	private InboundText() {
	}

	/**
	 * The path of the first field name or string value that is not well-formed.
	 * @param frame the frame
	 * @return the path ({@code data.items[2].text}), or {@code null} when all is well
	 */
	static @Nullable String findInvalid(JsonNode frame) {
		String path = findInvalid(frame, "");
		// The path is made of the client's own field names: never a long echo.
		return (path != null && path.length() > MAX_PATH_LENGTH) ? path.substring(0, MAX_PATH_LENGTH) + "…" : path;
	}

	/**
	 * The first part of an HTTP action that is not well-formed: its name, or a field of
	 * its data.
	 * @param action the action name
	 * @param data the action's data, or {@code null}
	 * @return {@code action}, a path such as {@code data.items[2]}, or {@code null}
	 */
	static @Nullable String findInvalidAction(String action, @Nullable JsonNode data) {
		String path = !isWellFormed(action) ? "action" : (data != null) ? findInvalid(data, "data") : null;
		return (path != null && path.length() > MAX_PATH_LENGTH) ? path.substring(0, MAX_PATH_LENGTH) + "…" : path;
	}

	static @Nullable String findInvalid(JsonNode node, String path) {
		if (node.isString()) {
			return isWellFormed(node.stringValue()) ? null : path;
		}
		if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				String found = findInvalid(node.get(i), path + "[" + i + "]");
				if (found != null) {
					return found;
				}
			}
		}
		else if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				String name = field.getKey();
				if (!isWellFormed(name)) {
					// Never echoed: the name itself is the offending text.
					return path.isEmpty() ? "(a field name)" : path + " (a field name)";
				}
				String child = path.isEmpty() ? name : path + "." + name;
				String found = findInvalid(field.getValue(), child);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	/**
	 * Whether every surrogate in the text is part of a pair.
	 * @param text the text
	 * @return {@code true} when the text encodes to UTF-8 as it is
	 */
	static boolean isWellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < text.length()
						&& Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
				}
				else {
					return false;
				}
			}
		}
		return true;
	}

}
