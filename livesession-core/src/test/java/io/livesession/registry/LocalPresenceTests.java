package io.livesession.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.registry.InMemoryConnectionRegistryTests.FakeConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link LocalPresence}.
 */
class LocalPresenceTests {

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final LocalPresence presence = ConnectionRegistries.localPresence(this.registry, this.events::add);

	@Test
	void countsConnectionsUsersAndGroupsOfTheRegistry() {
		open(new FakeConnection("c1", "alice", "user:alice"));
		open(new FakeConnection("c2", "alice", "user:alice"));
		open(new FakeConnection("c3", "bob", "user:bob"));
		open(new FakeConnection("c4", null, "anon:x"));
		assertThat(this.presence.getConnectionCount()).isEqualTo(4);
		assertThat(this.presence.getUserCount()).isEqualTo(2);
		assertThat(this.presence.getGroupCount()).isEqualTo(3);
		assertThat(this.presence.isOnline("alice")).isTrue();
		assertThat(this.presence.isOnline("carol")).isFalse();
		assertThat(this.presence.getOnlineUserIds()).containsExactlyInAnyOrder("alice", "bob");
	}

	@Test
	void publishesTheFirstAndLastConnectionOfUsersAndGroupsOnceEachInOrder() {
		FakeConnection a1 = open(new FakeConnection("c1", "alice", "g1"));
		FakeConnection a2 = open(new FakeConnection("c2", "alice", "g2"));
		FakeConnection b1 = open(new FakeConnection("c3", "bob", "g1"));
		close(a1);
		close(b1);
		close(a2);
		assertThat(descriptions()).containsExactly("UserConnectedEvent[userId=alice]", "GroupOpenedEvent[groupId=g1]",
				"GroupOpenedEvent[groupId=g2]", "UserConnectedEvent[userId=bob]", "UserDisconnectedEvent[userId=bob]",
				"GroupClosedEvent[groupId=g1]", "UserDisconnectedEvent[userId=alice]", "GroupClosedEvent[groupId=g2]");
		assertThat(this.events)
			.allSatisfy((event) -> assertThat(event).hasFieldOrPropertyWithValue("source", this.presence));
	}

	@Test
	void anAnonymousConnectionOpensAndClosesOnlyItsGroup() {
		close(open(new FakeConnection("c1", null, "anon:x")));
		assertThat(descriptions()).containsExactly("GroupOpenedEvent[groupId=anon:x]",
				"GroupClosedEvent[groupId=anon:x]");
	}

	@Test
	void aFailingEventListenerFailsNeitherTheConnectionNorLaterEvents() {
		List<Object> delivered = new ArrayList<>();
		LocalPresence presence = ConnectionRegistries.localPresence(this.registry, (event) -> {
			delivered.add(event);
			throw new IllegalStateException("listener failed");
		});
		FakeConnection connection = new FakeConnection("c1", "alice", "g1");
		this.registry.register(connection);
		assertThatNoException().isThrownBy(() -> presence.connectionRegistered(connection));
		assertThat(delivered).hasSize(2);
		this.registry.unregister(connection);
		presence.connectionUnregistered(connection);
		assertThat(delivered).hasSize(4).last().isInstanceOf(GroupClosedEvent.class);
	}

	@Test
	void concurrentConnectionsOfOneUserPublishAlternatingEventsThatEndDisconnected() throws Exception {
		int threads = 8;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				workers.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < 2000; i++) {
						close(open(new FakeConnection("c" + thread + "-" + i, "alice", "user:alice")));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> worker : workers) {
				worker.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		List<Object> userEvents = this.events.stream()
			.filter((event) -> event instanceof UserConnectedEvent || event instanceof UserDisconnectedEvent)
			.toList();
		assertThat(userEvents).isNotEmpty();
		for (int i = 0; i < userEvents.size(); i++) {
			assertThat(userEvents.get(i)).as("event %d", i)
				.isInstanceOf((i % 2 == 0) ? UserConnectedEvent.class : UserDisconnectedEvent.class);
		}
		assertThat(userEvents).last().isInstanceOf(UserDisconnectedEvent.class);
		assertThat(this.presence.isOnline("alice")).isFalse();
	}

	private FakeConnection open(FakeConnection connection) {
		// As the endpoint does: register, then tell the listener.
		this.registry.register(connection);
		this.presence.connectionRegistered(connection);
		return connection;
	}

	private void close(LiveConnection connection) {
		if (this.registry.unregister(connection)) {
			this.presence.connectionUnregistered(connection);
		}
	}

	private List<String> descriptions() {
		return this.events.stream().map(Object::toString).toList();
	}

}
