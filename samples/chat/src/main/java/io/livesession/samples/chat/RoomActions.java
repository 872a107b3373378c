package io.livesession.samples.chat;

import java.util.LinkedHashMap;
import java.util.Map;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.LiveController;
import org.jspecify.annotations.Nullable;

/**
 * The rooms' actions: {@code say} publishes a message to a room the connection is in,
 * {@code members} answers who is in it. Neither touches the user's group state.
 *
 * @author livesession
 */
@LiveController
class RoomActions {

	private final ChatRooms rooms;

	private final Broadcaster broadcaster;

	RoomActions(ChatRooms rooms, Broadcaster broadcaster) {
		this.rooms = rooms;
		this.broadcaster = broadcaster;
	}

	@LiveAction("say")
	Map<String, Object> say(LiveConnection connection, @Nullable Say say) {
		String text = (say != null) ? say.text() : null;
		if (text == null || text.isEmpty() || text.length() > ChatActions.MAX_LENGTH) {
			throw LiveActionException.badRequest("text must have 1 to " + ChatActions.MAX_LENGTH + " characters");
		}
		String topic = roomOf(connection, (say != null) ? say.room() : null);
		// Ordered, so every client sees {"kind", "room", "user", "text"}.
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("kind", "message");
		message.put("room", ChatRooms.roomName(topic));
		message.put("user", String.valueOf(connection.getUserId()));
		message.put("text", text);
		this.broadcaster.send(BroadcastTarget.topic(topic), message);
		return message;
	}

	@LiveAction("members")
	Map<String, Object> members(LiveConnection connection, @Nullable Room room) {
		String topic = roomOf(connection, (room != null) ? room.room() : null);
		return Map.of("room", String.valueOf(ChatRooms.roomName(topic)), "users", this.rooms.members(topic));
	}

	/**
	 * The topic of the room an action is about: the one named, which the connection must
	 * be in, or the connection's only room.
	 */
	private static String roomOf(LiveConnection connection, @Nullable String room) {
		if (room != null) {
			String topic = ChatRooms.topicOf(room);
			if (topic == null) {
				throw LiveActionException.badRequest("room must be 1 to 32 of a-z 0-9 -");
			}
			if (!connection.getTopics().contains(topic)) {
				throw new LiveActionException(LiveActionException.FORBIDDEN, "Enter the room " + room + " first");
			}
			return topic;
		}
		String[] joined = connection.getTopics()
			.stream()
			.filter((t) -> ChatRooms.roomName(t) != null)
			.toArray(String[]::new);
		if (joined.length != 1) {
			throw LiveActionException.badRequest("Name the room (you are in " + joined.length + ")");
		}
		return joined[0];
	}

	/**
	 * The data of {@code say}.
	 *
	 * @param room the room, optional when the connection is in one room only
	 * @param text the text
	 */
	record Say(@Nullable String room, @Nullable String text) {

	}

	/**
	 * The data of {@code members}.
	 *
	 * @param room the room, optional when the connection is in one room only
	 */
	record Room(@Nullable String room) {

	}

}
