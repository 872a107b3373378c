package io.livesession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.LiveConnection;
import io.livesession.event.TopicPresenceEvent;
import io.livesession.test.RedisTestConnections;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link RedisTopicPresence} against a private Redis: two instances share the
 * counts of their topics.
 */
class RedisTopicPresenceTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final TestListenerContainers containers = new TestListenerContainers();

	private final List<RedisTopicPresence> presences = new ArrayList<>();

	private final List<Object> eventsOfA = new CopyOnWriteArrayList<>();

	private final List<Object> eventsOfB = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() throws Exception {
		this.presences.forEach(RedisTopicPresence::destroy);
		this.containers.destroyAll();
	}

	@Test
	void countsAndUserIdsOfATopicSpanBothInstancesAndEachUserJoinsAndLeavesOnce() {
		RedisTopicPresence a = presence("a", Duration.ofMinutes(1), this.eventsOfA);
		RedisTopicPresence b = presence("b", Duration.ofMinutes(1), this.eventsOfB);
		LiveConnection aliceOnA = connection("alice");
		LiveConnection aliceOnB = connection("alice");
		LiveConnection bobOnB = connection("bob");
		LiveConnection anonymousOnA = connection(null);
		a.topicJoined(aliceOnA, "room:a");
		b.topicJoined(aliceOnB, "room:a");
		b.topicJoined(bobOnB, "room:a");
		a.topicJoined(anonymousOnA, "room:a");
		b.topicJoined(bobOnB, "room:b");
		await().atMost(WAIT).until(() -> a.getMemberCount("room:a") == 4 && b.getMemberCount("room:b") == 1);
		assertThat(b.getMemberCount("room:a")).isEqualTo(4);
		assertThat(a.getMemberUserIds("room:a")).containsExactlyInAnyOrder("alice", "bob");
		assertThat(a.getMemberUserIds("room:b")).containsExactly("bob");
		assertThat(a.getMemberCount("room:none")).isZero();
		assertThat(a.getMemberUserIds("room:none")).isEmpty();
		a.topicLeft(aliceOnA, "room:a");
		await().atMost(WAIT).until(() -> b.getMemberCount("room:a") == 3);
		assertThat(b.getMemberUserIds("room:a")).as("alice is still in on b").contains("alice");
		b.topicLeft(aliceOnB, "room:a");
		b.topicLeft(bobOnB, "room:a");
		await().atMost(WAIT).until(() -> a.getMemberUserIds("room:a").isEmpty());
		assertThat(a.getMemberCount("room:a")).as("the anonymous member").isEqualTo(1);
		List<String> expected = List.of("alice+room:a", "bob+room:a", "bob+room:b", "alice-room:a", "bob-room:a");
		for (List<Object> events : List.of(this.eventsOfA, this.eventsOfB)) {
			await().atMost(WAIT).untilAsserted(() -> assertThat(topicEvents(events)).hasSize(expected.size()));
			assertThat(topicEvents(events)).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(topicEvents(events).indexOf("alice+room:a"))
				.isLessThan(topicEvents(events).indexOf("alice-room:a"));
		}
	}

	@Test
	void aStoppedInstancesMembersLeaveTheCountsAtOnceAndACrashedOnesAfterItsLease() {
		RedisTopicPresence a = presence("a", Duration.ofMinutes(1), this.eventsOfA);
		RedisTopicPresence b = presence("b", Duration.ofMillis(100), this.eventsOfB);
		RedisTopicPresence c = presence("c", Duration.ofMinutes(1), new ArrayList<>());
		a.topicJoined(connection("alice"), "room:a");
		c.topicJoined(connection("carol"), "room:a");
		await().atMost(WAIT).until(() -> b.getMemberCount("room:a") == 2);
		a.stop();
		await().atMost(WAIT).until(() -> b.getMemberCount("room:a") == 1);
		assertThat(b.getMemberUserIds("room:a")).containsExactly("carol");
		// As after a crash of instance c: its lease is over, b sweeps it.
		redis.template().opsForZSet().add(this.prefix + "{presence}:topics:instances", "c", 0);
		await().atMost(WAIT).until(() -> b.getMemberCount("room:a") == 0);
		assertThat(b.getMemberUserIds("room:a")).isEmpty();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(topicEvents(this.eventsOfB)).containsExactlyInAnyOrder("alice+room:a",
					"carol+room:a", "alice-room:a", "carol-room:a"));
	}

	@Test
	void whileRedisCannotBeReachedReadsAnswerFromThisInstancesMembers() {
		LettuceConnectionFactory unreachable = redis.unreachable(Duration.ofMillis(200));
		RedisTopicPresence presence = new RedisTopicPresence(unreachable, this.containers.create(unreachable),
				this.prefix, this.prefix + "topic-presence", "a", Duration.ofMinutes(1), this.eventsOfA::add);
		this.presences.add(presence);
		presence.topicJoined(connection("alice"), "room:a");
		presence.topicJoined(connection(null), "room:a");
		assertThat(presence.getMemberCount("room:a")).isEqualTo(2);
		assertThat(presence.getMemberUserIds("room:a")).containsExactly("alice");
		assertThat(presence.getMemberUserIds("room:b")).isEmpty();
	}

	private RedisTopicPresence presence(String id, Duration heartbeat, List<Object> events) {
		LettuceConnectionFactory factory = redis.connectionFactory();
		RedisTopicPresence presence = new RedisTopicPresence(factory, this.containers.start(factory), this.prefix,
				this.prefix + "topic-presence", id, heartbeat, events::add);
		this.presences.add(presence);
		presence.start();
		return presence;
	}

	private static List<String> topicEvents(List<Object> events) {
		return events.stream()
			.filter(TopicPresenceEvent.class::isInstance)
			.map(TopicPresenceEvent.class::cast)
			.map((event) -> event.getUserId() + (event.isJoined() ? "+" : "-") + event.getTopic())
			.toList();
	}

	private static LiveConnection connection(@Nullable String userId) {
		LiveConnection connection = mock(LiveConnection.class);
		given(connection.getUserId()).willReturn(userId);
		given(connection.getGroupId()).willReturn("user:" + userId);
		return connection;
	}

}
