package io.livesession.samples.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;

/**
 * The chat's action: {@code send} appends to the user's own {@code messages}.
 *
 * @author livesession
 */
@io.livesession.LiveController
public class ChatActions {

	static final String ATTRIBUTE = "messages";

	static final int MAX_LENGTH = 500;

	@LiveAction("send")
	@SuppressWarnings("unchecked")
	Map<String, Object> send(GroupState state, LiveConnection connection, @Nullable Message message) {
		String text = (message != null) ? message.text() : null;
		if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
			throw LiveActionException.badRequest("text must have 1 to " + MAX_LENGTH + " characters");
		}
		List<Object> current = state.getAttribute(ATTRIBUTE, List.class);
		List<Object> next = new ArrayList<>((current != null) ? current : List.of());
		// Ordered, so every client sees {"user", "text"}.
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("user", String.valueOf(connection.getUserId()));
		entry.put("text", text);
		next.add(entry);
		state.setAttribute(ATTRIBUTE, next);
		return entry;
	}

	/**
	 * The data of {@code send}.
	 *
	 * @param text the text
	 */
	public record Message(@Nullable String text) {

	}

}
