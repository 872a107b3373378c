package io.livesession.topic;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.event.TopicPresenceEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the local {@link TopicPresence}: counts and user ids, and one event per
 * user's first join and last leave of a topic.
 */
class LocalTopicPresenceTests {

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final TopicPresence presence = LiveTopics.localPresence(this.events::add);

	@Test
	void countsConnectionsAndUsersOfEachTopic() {
		RecordingMember alice1 = new RecordingMember("a1", "alice");
		RecordingMember alice2 = new RecordingMember("a2", "alice");
		RecordingMember anonymous = new RecordingMember("n1", null);
		this.presence.topicJoined(alice1, "room:a");
		this.presence.topicJoined(alice2, "room:a");
		this.presence.topicJoined(anonymous, "room:a");
		this.presence.topicJoined(alice1, "room:b");
		assertThat(this.presence.getMemberCount("room:a")).isEqualTo(3);
		assertThat(this.presence.getMemberUserIds("room:a")).containsExactly("alice");
		assertThat(this.presence.getMemberCount("room:b")).isEqualTo(1);
		this.presence.topicLeft(alice1, "room:a");
		this.presence.topicLeft(alice2, "room:a");
		assertThat(this.presence.getMemberCount("room:a")).isEqualTo(1);
		assertThat(this.presence.getMemberUserIds("room:a")).isEmpty();
		this.presence.topicLeft(anonymous, "room:a");
		assertThat(this.presence.getMemberCount("room:a")).isZero();
		assertThat(this.presence.getMemberCount("room:c")).isZero();
	}

	@Test
	void aUsersFirstJoinAndLastLeaveOfATopicArePublishedOnceEach() {
		RecordingMember alice1 = new RecordingMember("a1", "alice");
		RecordingMember alice2 = new RecordingMember("a2", "alice");
		this.presence.topicJoined(alice1, "room:a");
		this.presence.topicJoined(alice2, "room:a");
		this.presence.topicJoined(new RecordingMember("n1", null), "room:a");
		this.presence.topicLeft(alice1, "room:a");
		this.presence.topicLeft(alice2, "room:a");
		assertThat(this.events).extracting(Object::toString)
			.containsExactly("TopicPresenceEvent[topic=room:a, userId=alice, joined=true]",
					"TopicPresenceEvent[topic=room:a, userId=alice, joined=false]");
		assertThat(this.events).allSatisfy((event) -> assertThat(event).isInstanceOf(TopicPresenceEvent.class));
	}

}
