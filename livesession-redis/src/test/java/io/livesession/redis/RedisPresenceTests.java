package io.livesession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.LiveConnection;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.test.RedisTestServer;
import io.livesession.test.RedisTestConnections;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link RedisPresence} against a private Redis.
 */
class RedisPresenceTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final TestListenerContainers containers = new TestListenerContainers();

	private final List<RedisPresence> presences = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		this.presences.forEach(RedisPresence::destroy);
		this.containers.destroyAll();
	}

	@Test
	void anInstanceSweptWhileAliveWritesItsWholeShareBackWithItsNextWrite() {
		// A long heartbeat, so that only the test makes its lease look expired.
		List<Object> eventsOfA = new CopyOnWriteArrayList<>();
		RedisPresence a = presence("a", Duration.ofMinutes(1), eventsOfA);
		List<Object> eventsOfB = new CopyOnWriteArrayList<>();
		RedisPresence b = presence("b", Duration.ofMillis(100), eventsOfB);
		a.start();
		b.start();
		a.connectionRegistered(connection("alice"));
		await().atMost(Duration.ofSeconds(10)).until(() -> b.getUserCount() == 1);
		// As after a long pause of instance a: its lease is over.
		template().opsForZSet().add(this.prefix + "{presence}:instances", "a", 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> b.getUserCount() == 0);
		a.connectionRegistered(connection("bob"));
		await().atMost(Duration.ofSeconds(10)).until(() -> b.getUserCount() == 2);
		assertThat(b.getConnectionCount()).isEqualTo(2);
		assertThat(b.getOnlineUserIds()).containsExactlyInAnyOrder("alice", "bob");
		List<String> alice = List.of("UserConnectedEvent[userId=alice]", "UserDisconnectedEvent[userId=alice]",
				"UserConnectedEvent[userId=alice]");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(userEvents(eventsOfB, "alice")).containsExactlyElementsOf(alice));
		assertThat(userEvents(eventsOfA, "alice")).containsExactlyElementsOf(alice);
	}

	@Test
	void connectionsRegisteredBeforeStartAreWrittenInFullAndRemovedByAStop() {
		RedisPresence presence = presence("a", Duration.ofMinutes(1), new ArrayList<>());
		for (int i = 0; i < 2500; i++) {
			presence.connectionRegistered(connection("user" + i));
		}
		presence.start();
		// Written in batches: users first, then groups.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> presence.getUserCount() == 2500 && presence.getGroupCount() == 2500);
		assertThat(presence.getConnectionCount()).isEqualTo(2500);
		assertThat(presence.isOnline("user1234")).isTrue();
		presence.stop();
		assertThat(presence.getUserCount()).isZero();
		assertThat(presence.getGroupCount()).isZero();
		assertThat(presence.getConnectionCount()).isZero();
		assertThat(template().keys(this.prefix + "{presence}:instance*")).isEmpty();
	}

	@Test
	void withoutRedisChangesNeverThrowAndReadsAnswerFromThisInstance() {
		LettuceConnectionFactory unreachable = redis.unreachable(Duration.ofMillis(200));
		// Never started: it would keep trying to subscribe.
		RedisPresence presence = new RedisPresence(unreachable, this.containers.create(unreachable), this.prefix,
				this.prefix + "presence", "a", Duration.ofMillis(100), (event) -> {
				});
		this.presences.add(presence);
		presence.start();
		LiveConnection alice = connection("alice");
		assertThatNoException().isThrownBy(() -> {
			presence.connectionRegistered(alice);
			presence.connectionRegistered(connection("bob"));
			presence.connectionUnregistered(alice);
		});
		assertThat(presence.getConnectionCount()).isOne();
		assertThat(presence.getUserCount()).isOne();
		assertThat(presence.getGroupCount()).isOne();
		assertThat(presence.isOnline("bob")).isTrue();
		assertThat(presence.isOnline("alice")).isFalse();
		assertThat(presence.getOnlineUserIds()).containsExactly("bob");
	}

	private RedisPresence presence(String id, Duration heartbeat, List<Object> events) {
		LettuceConnectionFactory factory = redis.connectionFactory();
		RedisPresence presence = new RedisPresence(factory, this.containers.start(factory), this.prefix,
				this.prefix + "presence", id, heartbeat, events::add);
		this.presences.add(presence);
		return presence;
	}

	private StringRedisTemplate template() {
		return redis.template();
	}

	private static List<String> userEvents(List<Object> events, String userId) {
		return events.stream()
			.filter((event) -> (event instanceof UserConnectedEvent connected && connected.getUserId().equals(userId))
					|| (event instanceof UserDisconnectedEvent disconnected && disconnected.getUserId().equals(userId)))
			.map(Object::toString)
			.toList();
	}

	private static LiveConnection connection(@Nullable String userId) {
		LiveConnection connection = mock(LiveConnection.class);
		given(connection.getUserId()).willReturn(userId);
		given(connection.getGroupId()).willReturn("user:" + userId);
		return connection;
	}

}
