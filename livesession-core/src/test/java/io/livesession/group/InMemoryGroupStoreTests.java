package io.livesession.group;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.GroupIdPage;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.registry.ConnectionRegistries;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.session.Session;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InMemoryGroupStore} and {@link GroupMaintenance}.
 */
class InMemoryGroupStoreTests {

	@Test
	void updateCreatesAGroupThatFindReturns() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		assertThat(store.find("g")).isNull();
		AtomicReference<StoredGroup> seen = new AtomicReference<>();
		String result = store.update("g", (current) -> {
			seen.set(current);
			return new GroupUpdate<>(Map.of("a", "1"), true, "result", (committed) -> {
			});
		});
		assertThat(result).isEqualTo("result");
		assertThat(seen.get().exists()).isFalse();
		assertThat(seen.get().version()).isZero();
		StoredGroup found = store.find("g");
		assertThat(found).isNotNull();
		assertThat(found.version()).isOne();
		assertThat(found.attributes()).containsExactly(Map.entry("a", "1"));
		assertThat(found.exists()).isTrue();
	}

	@Test
	void afterTheTimeoutRemoveExpiredRemovesTheGroup() {
		Duration timeout = Duration.ofMillis(50);
		InMemoryGroupStore store = new InMemoryGroupStore(timeout);
		create(store, "g");
		Instant created = Instant.now();
		assertThat(store.size()).isOne();
		// Wait on the clock, not on the store: the assertions below are on the store.
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> Duration.between(created, Instant.now()).compareTo(timeout) > 0);
		assertThat(store.removeExpired()).isOne();
		assertThat(store.size()).isZero();
		assertThat(store.find("g")).isNull();
		assertThat(store.removeExpired()).isZero();
	}

	@Test
	void removeExpiredKeepsGroupsThatHaveNotExpired() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		create(store, "g1");
		create(store, "g2");
		elapse(store, Duration.ofSeconds(59));
		assertThat(store.removeExpired()).isZero();
		assertThat(store.size()).isEqualTo(2);
		elapse(store, Duration.ofSeconds(2));
		assertThat(store.removeExpired()).isEqualTo(2);
		assertThat(store.size()).isZero();
	}

	@Test
	void touchSlidesTheExpiry() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		create(store, "touched");
		create(store, "untouched");
		elapse(store, Duration.ofSeconds(40));
		store.touch(List.of("touched", "missing"));
		elapse(store, Duration.ofSeconds(40));
		assertThat(store.removeExpired()).isOne();
		assertThat(store.find("touched")).isNotNull();
		assertThat(store.find("untouched")).isNull();
		assertThat(store.find("missing")).isNull();
		assertThat(store.size()).isOne();
	}

	@Test
	void updateSlidesTheExpiry() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		create(store, "g");
		elapse(store, Duration.ofSeconds(40));
		store.update("g", (current) -> new GroupUpdate<>(Map.of(), true, null, (committed) -> {
		}));
		elapse(store, Duration.ofSeconds(40));
		assertThat(store.removeExpired()).isZero();
		assertThat(store.find("g")).isNotNull();
	}

	@Test
	void anExpiredGroupIsNotFound() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		create(store, "g");
		elapse(store, Duration.ofMinutes(2));
		assertThat(store.find("g")).isNull();
	}

	@Test
	void anExpiredGroupIsRecreatedFromScratchByUpdate() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		create(store, "g");
		elapse(store, Duration.ofMinutes(2));
		AtomicReference<StoredGroup> seen = new AtomicReference<>();
		store.update("g", (current) -> {
			seen.set(current);
			return new GroupUpdate<>(Map.of(), true, null, (committed) -> {
			});
		});
		assertThat(seen.get().exists()).isFalse();
		assertThat(seen.get().version()).isZero();
		assertThat(seen.get().attributes()).isEmpty();
	}

	@Test
	void maintenanceTouchesGroupsWithConnectionsAndRemovesOthers() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		ConnectionRegistry registry = ConnectionRegistries.inMemory();
		GroupMaintenance maintenance = new GroupMaintenance(store, registry, Duration.ofSeconds(1),
				new SimpleAsyncTaskScheduler());
		create(store, "connected");
		create(store, "idle");
		ManagedConnection connection = connection("c1", "connected");
		registry.register(connection);
		elapse(store, Duration.ofSeconds(40));
		assertThat(maintenance.runOnce()).isZero();
		elapse(store, Duration.ofSeconds(40));
		assertThat(maintenance.runOnce()).isOne();
		assertThat(store.find("connected")).isNotNull();
		assertThat(store.find("idle")).isNull();
		registry.unregister(connection);
		elapse(store, Duration.ofSeconds(40));
		assertThat(maintenance.runOnce()).isZero();
		elapse(store, Duration.ofSeconds(40));
		assertThat(maintenance.runOnce()).isOne();
		assertThat(store.size()).isZero();
	}

	@Test
	void idsPagesThroughEveryGroupOnceInIdOrder() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		for (int i = 0; i < 25; i++) {
			create(store, String.format("g%02d", i));
		}
		List<String> seen = new ArrayList<>();
		String cursor = GroupIdPage.FIRST;
		int pages = 0;
		while (cursor != null) {
			GroupIdPage page = store.ids(cursor, 10);
			assertThat(page.ids()).hasSizeLessThanOrEqualTo(10);
			seen.addAll(page.ids());
			cursor = page.nextCursor();
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void idsSkipExpiredGroupsAndRejectAForeignCursor() {
		InMemoryGroupStore store = new InMemoryGroupStore(Duration.ofMinutes(1));
		create(store, "old");
		elapse(store, Duration.ofMinutes(2));
		create(store, "new");
		GroupIdPage page = store.ids(GroupIdPage.FIRST, 10);
		assertThat(page.ids()).containsExactly("new");
		assertThat(page.isLast()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> store.ids("12345", 10));
	}

	private static void create(InMemoryGroupStore store, String groupId) {
		store.update(groupId, (current) -> new GroupUpdate<>(Map.of("a", "1"), true, null, (committed) -> {
		}));
	}

	/**
	 * Let time pass for every stored group by moving its last access into the past.
	 */
	@SuppressWarnings("unchecked")
	private static void elapse(InMemoryGroupStore store, Duration duration) {
		Map<String, Session> sessions = (Map<String, Session>) ReflectionTestUtils.getField(store, "sessions");
		sessions.values()
			.forEach((session) -> session.setLastAccessedTime(session.getLastAccessedTime().minus(duration)));
	}

	private static ManagedConnection connection(String id, String groupId) {
		TransportSession transport = new TransportSession() {

			@Override
			public void send(Frame frame) {
			}

			@Override
			public void close(int code, String reason) {
			}

			@Override
			public boolean isOpen() {
				return true;
			}

		};
		return Delivery.connection(new ConnectionInfo(id, null, groupId, null, Set.of(), null, Instant.now()),
				transport, Runnable::run, 1024);
	}

}
