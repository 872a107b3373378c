package io.livesession.samples.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Topics;
import io.livesession.event.TopicPresenceEvent;
import io.livesession.topic.TopicAuthorizer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Chat rooms on topics: the page subscribes to {@code room:<name>}, which any signed-in
 * user may; {@code say} publishes to the room and the room's member list is published to
 * it whenever a user comes or goes. Publications are {@code {"kind": "message", "room",
 * "user", "text"}} and {@code {"kind": "presence", "room", "users"}}.
 *
 * @author livesession
 */
@Configuration(proxyBeanMethods = false)
class ChatRooms {

	static final String PREFIX = "room:";

	/** Room names: lower-case letters, digits and dashes, at most 32. */
	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

	private final Topics topics;

	private final Broadcaster broadcaster;

	ChatRooms(Topics topics, Broadcaster broadcaster) {
		this.topics = topics;
		this.broadcaster = broadcaster;
	}

	/**
	 * The room of a topic.
	 * @param topic a topic name
	 * @return the room name, or {@code null} when the topic is no room
	 */
	static @Nullable String roomName(String topic) {
		if (!topic.startsWith(PREFIX)) {
			return null;
		}
		String name = topic.substring(PREFIX.length());
		return NAME.matcher(name).matches() ? name : null;
	}

	/**
	 * The topic of a room.
	 * @param room a room name
	 * @return the topic, or {@code null} when the name is no valid room name
	 */
	static @Nullable String topicOf(@Nullable String room) {
		return (room != null && NAME.matcher(room).matches()) ? PREFIX + room : null;
	}

	@Bean
	TopicAuthorizer roomAuthorizer() {
		// Every signed-in user may enter every room; the handshake needs a login anyway
		// (livesession.require-authentication), so the check is belt and braces.
		return (connection, topic) -> connection.getUserId() != null && roomName(topic) != null;
	}

	/**
	 * The users in a room, sorted.
	 * @param topic the room's topic
	 * @return the user ids
	 */
	List<String> members(String topic) {
		return this.topics.getMemberUserIds(topic).stream().sorted().toList();
	}

	@EventListener
	void presenceChanged(TopicPresenceEvent event) {
		String room = roomName(event.getTopic());
		if (room == null) {
			return;
		}
		Map<String, Object> presence = new LinkedHashMap<>();
		presence.put("kind", "presence");
		presence.put("room", room);
		presence.put("users", members(event.getTopic()));
		this.broadcaster.send(BroadcastTarget.topic(event.getTopic()), presence);
	}

}
