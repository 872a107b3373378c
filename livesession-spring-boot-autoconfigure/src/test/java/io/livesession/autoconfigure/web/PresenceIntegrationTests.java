package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.livesession.Presence;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.redis.RedisPresence;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence on Redis across instances: cluster-wide counts, first-connection and
 * last-disconnection events published once on every instance, and no ghosts of an
 * instance that stopped, cleanly or not.
 */
class PresenceIntegrationTests {

	private static final Duration HEARTBEAT = Duration.ofMillis(300);

	private static final String FAST_HEARTBEAT = "livesession.redis.presence-heartbeat=" + HEARTBEAT.toMillis() + "ms";

	/**
	 * The documented bound: the lease of three heartbeats, plus up to one heartbeat until
	 * another instance sweeps.
	 */
	private static final Duration DOCUMENTED_BOUND = HEARTBEAT.multipliedBy(4);

	/**
	 * Allowance for the test's own scheduling on a busy machine, on top of the bound.
	 */
	private static final Duration TOLERANCE = Duration.ofSeconds(3);

	static RedisTestServer redis;

	LiveCluster cluster;

	@BeforeAll
	static void startRedis() {
		redis = RedisTestServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void createCluster() {
		this.cluster = new LiveCluster(redis);
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	@Test
	void countsConnectionsUsersAndGroupsAcrossInstances() {
		ConfigurableApplicationContext one = this.cluster.start();
		ConfigurableApplicationContext two = this.cluster.start();
		assertThat(one.getBean(Presence.class)).isInstanceOf(RedisPresence.class);
		try (LiveTestClient alice1 = connectUser(port(one), "alice");
				LiveTestClient alice2 = connectUser(port(two), "alice");
				LiveTestClient bob = connectUser(port(two), "bob")) {
			for (LiveTestClient client : List.of(alice1, alice2, bob)) {
				client.next("hello");
			}
			for (ConfigurableApplicationContext instance : List.of(one, two)) {
				Presence presence = instance.getBean(Presence.class);
				awaitCounts(presence, 3, 2, 2);
				assertThat(presence.isOnline("alice")).isTrue();
				assertThat(presence.isOnline("bob")).isTrue();
				assertThat(presence.isOnline("carol")).isFalse();
				assertThat(presence.getOnlineUserIds()).containsExactlyInAnyOrder("alice", "bob");
			}
		}
		for (ConfigurableApplicationContext instance : List.of(one, two)) {
			Presence presence = instance.getBean(Presence.class);
			awaitCounts(presence, 0, 0, 0);
			assertThat(presence.isOnline("alice")).isFalse();
		}
	}

	@Test
	void firstConnectionAndLastDisconnectionOfUsersAndGroupsArePublishedOnceOnEveryInstance() {
		ConfigurableApplicationContext one = this.cluster.start();
		ConfigurableApplicationContext two = this.cluster.start();
		PresenceEvents onOne = PresenceEvents.on(one);
		PresenceEvents onTwo = PresenceEvents.on(two);
		List<String> expected = new CopyOnWriteArrayList<>();
		LiveTestClient alice1 = connectUser(port(one), "alice");
		alice1.next("hello");
		expected.addAll(List.of("UserConnectedEvent[userId=alice]", "GroupOpenedEvent[groupId=user:alice]"));
		onOne.awaitEvents(expected);
		onTwo.awaitEvents(expected);
		// Alice's second connection, on the other instance, is no first connection; Bob's
		// first one, afterwards, shows it published nothing.
		LiveTestClient alice2 = connectUser(port(two), "alice");
		alice2.next("hello");
		awaitCounts(one.getBean(Presence.class), 2, 1, 1);
		LiveTestClient bob = connectUser(port(two), "bob");
		bob.next("hello");
		expected.addAll(List.of("UserConnectedEvent[userId=bob]", "GroupOpenedEvent[groupId=user:bob]"));
		onOne.awaitEvents(expected);
		onTwo.awaitEvents(expected);
		// Closing one of Alice's two connections is no last disconnection either.
		alice1.close();
		awaitCounts(one.getBean(Presence.class), 2, 2, 2);
		bob.close();
		expected.addAll(List.of("UserDisconnectedEvent[userId=bob]", "GroupClosedEvent[groupId=user:bob]"));
		onOne.awaitEvents(expected);
		onTwo.awaitEvents(expected);
		alice2.close();
		expected.addAll(List.of("UserDisconnectedEvent[userId=alice]", "GroupClosedEvent[groupId=user:alice]"));
		onOne.awaitExactlyAndNoMore(expected);
		onTwo.awaitExactlyAndNoMore(expected);
		assertThat(onOne.sources()).containsOnly(one.getBean(Presence.class));
	}

	@Test
	void anInstanceKilledAbruptlyLeavesTheCountsWithinTheDocumentedBound() {
		ConfigurableApplicationContext one = this.cluster.start(FAST_HEARTBEAT);
		ForkedInstance doomed = this.cluster.fork(FAST_HEARTBEAT);
		Presence presence = one.getBean(Presence.class);
		PresenceEvents events = PresenceEvents.on(one);
		try (LiveTestClient alice1 = connectUser(port(one), "alice");
				LiveTestClient alice2 = connectUser(doomed.port(), "alice");
				LiveTestClient bob = connectUser(doomed.port(), "bob")) {
			for (LiveTestClient client : List.of(alice1, alice2, bob)) {
				client.next("hello");
			}
			awaitCounts(presence, 3, 2, 2);
			List<String> connected = List.of("UserConnectedEvent[userId=alice]", "GroupOpenedEvent[groupId=user:alice]",
					"UserConnectedEvent[userId=bob]", "GroupOpenedEvent[groupId=user:bob]");
			await().atMost(Duration.ofSeconds(10)).until(() -> events.descriptions().containsAll(connected));
			int before = events.descriptions().size();
			doomed.kill();
			await().atMost(DOCUMENTED_BOUND.plus(TOLERANCE))
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertCounts(presence, 1, 1, 1));
			assertThat(presence.isOnline("alice")).isTrue();
			assertThat(presence.isOnline("bob")).isFalse();
			List<String> left = List.of("UserDisconnectedEvent[userId=bob]", "GroupClosedEvent[groupId=user:bob]");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(events.descriptions().subList(before, events.descriptions().size()))
					.containsExactlyElementsOf(left));
			assertThat(shareKeys()).as("only the live instance's share is left")
				.allSatisfy((key) -> assertThat(key).contains(one.getBean(RedisPresence.class).getInstanceId()));
		}
	}

	@Test
	void aCleanlyStoppedInstanceLeavesTheCountsAtOnceRatherThanWhenItsLeaseRunsOut() {
		// A lease of three minutes: only the clean stop can make the counts drop.
		ConfigurableApplicationContext one = this.cluster.start("livesession.redis.presence-heartbeat=1m");
		ConfigurableApplicationContext two = this.cluster.start("livesession.redis.presence-heartbeat=1m");
		Presence presence = one.getBean(Presence.class);
		PresenceEvents events = PresenceEvents.on(one);
		try (LiveTestClient bob = connectUser(port(two), "bob")) {
			bob.next("hello");
			awaitCounts(presence, 1, 1, 1);
			two.close();
			awaitCounts(presence, 0, 0, 0);
			events.awaitEvents(List.of("UserConnectedEvent[userId=bob]", "GroupOpenedEvent[groupId=user:bob]",
					"UserDisconnectedEvent[userId=bob]", "GroupClosedEvent[groupId=user:bob]"));
			assertThat(shareKeys())
				.allSatisfy((key) -> assertThat(key).contains(one.getBean(RedisPresence.class).getInstanceId()));
		}
	}

	@Test
	void countsCatchUpWithChangesMadeWhileRedisWasDown() {
		ConfigurableApplicationContext one = this.cluster.start(FAST_HEARTBEAT);
		Presence presence = one.getBean(Presence.class);
		LiveTestClient alice = connectUser(port(one), "alice");
		alice.next("hello");
		awaitCounts(presence, 1, 1, 1);
		redis.stop();
		try {
			alice.close();
			// Meanwhile reads answer from this instance's own connections.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertCounts(presence, 0, 0, 0));
		}
		finally {
			redis.restart();
		}
		assertThat(redis.ping()).isTrue();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(rawCount("users")).isZero();
			assertCounts(presence, 0, 0, 0);
		});
	}

	private List<String> shareKeys() {
		return redisCommands((commands) -> commands.keys(this.cluster.keyPrefix() + "{presence}:instance:*"));
	}

	private long rawCount(String hash) {
		return redisCommands((commands) -> commands.hlen(this.cluster.keyPrefix() + "{presence}:" + hash));
	}

	private static <T> T redisCommands(
			java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> action) {
		RedisClient client = RedisClient.create("redis://" + redis.host() + ":" + redis.port());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return action.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

	private static void awaitCounts(Presence presence, long connections, long users, long groups) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertCounts(presence, connections, users, groups));
	}

	private static void assertCounts(Presence presence, long connections, long users, long groups) {
		assertThat(List.of(presence.getConnectionCount(), presence.getUserCount(), presence.getGroupCount()))
			.as("connections, users, groups")
			.containsExactly(connections, users, groups);
	}

	private static int port(ConfigurableApplicationContext instance) {
		return LiveCluster.port(instance);
	}

	private static LiveTestClient connectUser(int port, String user) {
		return LiveTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/live"),
				Map.of("Authorization", UserGroupsIntegrationTests.basic(user)));
	}

	/**
	 * The presence events one instance published.
	 */
	static final class PresenceEvents implements ApplicationListener<ApplicationEvent> {

		private final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

		static PresenceEvents on(ConfigurableApplicationContext context) {
			PresenceEvents events = new PresenceEvents();
			context.addApplicationListener(events);
			return events;
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof UserConnectedEvent || event instanceof UserDisconnectedEvent
					|| event instanceof GroupOpenedEvent || event instanceof GroupClosedEvent) {
				this.received.add(event);
			}
		}

		List<String> descriptions() {
			return this.received.stream().map(Object::toString).toList();
		}

		List<Object> sources() {
			return this.received.stream().map(ApplicationEvent::getSource).toList();
		}

		/**
		 * Wait for the expected events; each comes once, in order, so a duplicate would
		 * show before a later event.
		 */
		void awaitEvents(List<String> expected) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() >= expected.size());
			assertThat(descriptions()).containsExactlyElementsOf(expected);
		}

		void awaitExactlyAndNoMore(List<String> expected) {
			awaitEvents(expected);
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> this.received.size() == expected.size());
		}

	}

}
