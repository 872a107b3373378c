package io.livesession.registry;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link InMemoryConnectionRegistry}.
 */
class InMemoryConnectionRegistryTests {

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	@Test
	void registeredConnectionsAreFoundByIdGroupAndUser() {
		FakeConnection a1 = new FakeConnection("c1", "alice", "g1");
		FakeConnection a2 = new FakeConnection("c2", "alice", "g2");
		FakeConnection b1 = new FakeConnection("c3", "bob", "g1");
		FakeConnection anon = new FakeConnection("c4", null, "anon:x");
		List.of(a1, a2, b1, anon).forEach(this.registry::register);
		assertThat(this.registry.find("c1")).isSameAs(a1);
		assertThat(this.registry.find("c4")).isSameAs(anon);
		assertThat(this.registry.find("missing")).isNull();
		assertThat(this.registry.findByGroup("g1")).containsExactlyInAnyOrder(a1, b1);
		assertThat(this.registry.findByGroup("g2")).containsExactly(a2);
		assertThat(this.registry.findByGroup("anon:x")).containsExactly(anon);
		assertThat(this.registry.findByGroup("missing")).isEmpty();
		assertThat(this.registry.findByUser("alice")).containsExactlyInAnyOrder(a1, a2);
		assertThat(this.registry.findByUser("bob")).containsExactly(b1);
		assertThat(this.registry.findByUser("missing")).isEmpty();
		assertThat(this.registry.findAll()).containsExactlyInAnyOrder(a1, a2, b1, anon);
		assertThat(this.registry.getGroupIds()).containsExactlyInAnyOrder("g1", "g2", "anon:x");
		assertThat(this.registry.getUserIds()).containsExactlyInAnyOrder("alice", "bob");
		assertThat(this.registry.getConnectionCount()).isEqualTo(4);
		assertThat(this.registry.getGroupCount()).isEqualTo(3);
		assertThat(this.registry.getUserCount()).isEqualTo(2);
	}

	@Test
	void anonymousConnectionsAreNotIndexedByUser() {
		this.registry.register(new FakeConnection("c1", null, "anon:x"));
		assertThat(this.registry.getUserIds()).isEmpty();
		assertThat(this.registry.getUserCount()).isZero();
		assertThat(this.registry.getGroupCount()).isOne();
	}

	@Test
	void unregisterRemovesTheConnectionAndDropsEmptyIndexEntries() {
		FakeConnection a1 = new FakeConnection("c1", "alice", "g1");
		FakeConnection b1 = new FakeConnection("c2", "bob", "g1");
		this.registry.register(a1);
		this.registry.register(b1);
		assertThat(this.registry.unregister(a1)).isTrue();
		assertThat(this.registry.find("c1")).isNull();
		assertThat(this.registry.findByGroup("g1")).containsExactly(b1);
		assertThat(this.registry.findByUser("alice")).isEmpty();
		assertThat(this.registry.getUserIds()).containsExactly("bob");
		assertThat(this.registry.getUserCount()).isOne();
		assertThat(this.registry.getGroupCount()).isOne();
		assertThat(this.registry.unregister(b1)).isTrue();
		assertThat(this.registry.findAll()).isEmpty();
		assertThat(this.registry.findByGroup("g1")).isEmpty();
		assertThat(this.registry.getGroupIds()).isEmpty();
		assertThat(this.registry.getUserIds()).isEmpty();
		assertThat(this.registry.getConnectionCount()).isZero();
		assertThat(this.registry.getGroupCount()).isZero();
		assertThat(this.registry.getUserCount()).isZero();
	}

	@Test
	void unregisterOfAnUnknownConnectionReturnsFalse() {
		FakeConnection registered = new FakeConnection("c1", "alice", "g1");
		this.registry.register(registered);
		assertThat(this.registry.unregister(new FakeConnection("c2", "alice", "g1"))).isFalse();
		assertThat(this.registry.unregister(registered)).isTrue();
		assertThat(this.registry.unregister(registered)).isFalse();
	}

	@Test
	void unregisterOfAnotherConnectionWithTheSameIdLeavesTheRegisteredOneAlone() {
		FakeConnection registered = new FakeConnection("c1", "alice", "g1");
		this.registry.register(registered);
		assertThat(this.registry.unregister(new FakeConnection("c1", "alice", "g1"))).isFalse();
		assertThat(this.registry.find("c1")).isSameAs(registered);
		assertThat(this.registry.findByGroup("g1")).containsExactly(registered);
		assertThat(this.registry.findByUser("alice")).containsExactly(registered);
	}

	@Test
	void registeringADuplicateIdFailsAndIndexesNothing() {
		FakeConnection registered = new FakeConnection("c1", "alice", "g1");
		this.registry.register(registered);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.registry.register(new FakeConnection("c1", "bob", "g2")))
			.withMessageContaining("c1");
		assertThatIllegalStateException().isThrownBy(() -> this.registry.register(registered));
		assertThat(this.registry.find("c1")).isSameAs(registered);
		assertThat(this.registry.getGroupIds()).containsExactly("g1");
		assertThat(this.registry.getUserIds()).containsExactly("alice");
		assertThat(this.registry.findByGroup("g1")).containsExactly(registered);
		assertThat(this.registry.getConnectionCount()).isOne();
	}

	@Test
	void returnedCollectionsAreUnmodifiable() {
		FakeConnection registered = new FakeConnection("c1", "alice", "g1");
		FakeConnection other = new FakeConnection("c2", "bob", "g2");
		this.registry.register(registered);
		assertUnmodifiable(this.registry.findByGroup("g1"), registered, other);
		assertUnmodifiable(this.registry.findByGroup("missing"), registered, other);
		assertUnmodifiable(this.registry.findByUser("alice"), registered, other);
		assertUnmodifiable(this.registry.findByUser("missing"), registered, other);
		assertUnmodifiable(this.registry.findAll(), registered, other);
		assertUnmodifiable(this.registry.getGroupIds(), "g1", "g2");
		assertUnmodifiable(this.registry.getUserIds(), "alice", "bob");
		assertThat(this.registry.findAll()).containsExactly(registered);
		assertThat(this.registry.findByGroup("g1")).containsExactly(registered);
		assertThat(this.registry.findByUser("alice")).containsExactly(registered);
		assertThat(this.registry.getGroupIds()).containsExactly("g1");
		assertThat(this.registry.getUserIds()).containsExactly("alice");
	}

	private static <T> void assertUnmodifiable(Collection<T> collection, T present, T absent) {
		assertThatThrownBy(() -> collection.add(absent)).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> collection.addAll(List.of(absent))).isInstanceOf(UnsupportedOperationException.class);
		if (collection.contains(present)) {
			assertThatThrownBy(() -> collection.remove(present)).isInstanceOf(UnsupportedOperationException.class);
			assertThatThrownBy(collection::clear).isInstanceOf(UnsupportedOperationException.class);
			assertThatThrownBy(() -> collection.removeIf((element) -> true))
				.isInstanceOf(UnsupportedOperationException.class);
			assertThatThrownBy(() -> {
				var iterator = collection.iterator();
				iterator.next();
				iterator.remove();
			}).isInstanceOf(UnsupportedOperationException.class);
		}
	}

	@Test
	void concurrentRegisterAndUnregisterEndsEmptyAndConsistent() throws Exception {
		int threads = 8;
		int perThread = 2000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					start.await();
					List<FakeConnection> mine = new ArrayList<>();
					for (int i = 0; i < perThread; i++) {
						// Few groups and users, shared by every thread, so index
						// entries are created and dropped concurrently.
						FakeConnection connection = new FakeConnection(thread + "-" + i,
								(i % 3 == 0) ? null : "user" + (i % 5), "group" + (i % 7));
						this.registry.register(connection);
						mine.add(connection);
						if (i % 2 == 1) {
							assertThat(this.registry.unregister(mine.remove(0))).isTrue();
						}
					}
					for (FakeConnection connection : mine) {
						assertThat(this.registry.unregister(connection)).isTrue();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.registry.findAll()).isEmpty();
		assertThat(this.registry.getConnectionCount()).isZero();
		assertThat(this.registry.getGroupIds()).isEmpty();
		assertThat(this.registry.getGroupCount()).isZero();
		assertThat(this.registry.getUserIds()).isEmpty();
		assertThat(this.registry.getUserCount()).isZero();
		for (int i = 0; i < 7; i++) {
			assertThat(this.registry.findByGroup("group" + i)).isEmpty();
		}
	}

	@Test
	void concurrentRegisterKeepsTheIndexesConsistent() throws Exception {
		int threads = 8;
		int perThread = 1000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		Map<String, FakeConnection> kept = new ConcurrentHashMap<>();
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						FakeConnection connection = new FakeConnection(thread + "-" + i, "user" + (i % 5),
								"group" + (i % 7));
						this.registry.register(connection);
						if (i % 4 == 0) {
							kept.put(connection.getId(), connection);
						}
						else {
							this.registry.unregister(connection);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.registry.findAll()).containsExactlyInAnyOrderElementsOf(kept.values());
		assertThat(this.registry.getConnectionCount()).isEqualTo(threads * perThread / 4);
		int inGroups = 0;
		for (String groupId : this.registry.getGroupIds()) {
			Collection<LiveConnection> members = this.registry.findByGroup(groupId);
			assertThat(members).isNotEmpty().allSatisfy((c) -> assertThat(c.getGroupId()).isEqualTo(groupId));
			inGroups += members.size();
		}
		assertThat(inGroups).isEqualTo(kept.size());
		int ofUsers = 0;
		for (String userId : this.registry.getUserIds()) {
			Collection<LiveConnection> members = this.registry.findByUser(userId);
			assertThat(members).isNotEmpty().allSatisfy((c) -> assertThat(c.getUserId()).isEqualTo(userId));
			ofUsers += members.size();
		}
		assertThat(ofUsers).isEqualTo(kept.size());
	}

	/**
	 * A connection that only has an identity.
	 */
	static final class FakeConnection implements LiveConnection {

		private final String id;

		private final @Nullable String userId;

		private final String groupId;

		private final Instant openedAt = Instant.now();

		FakeConnection(String id, @Nullable String userId, String groupId) {
			this.id = id;
			this.userId = userId;
			this.groupId = groupId;
		}

		@Override
		public String getId() {
			return this.id;
		}

		@Override
		public @Nullable String getUserId() {
			return this.userId;
		}

		@Override
		public String getGroupId() {
			return this.groupId;
		}

		@Override
		public @Nullable Principal getPrincipal() {
			return null;
		}

		@Override
		public Set<String> getAuthorities() {
			return Set.of();
		}

		@Override
		public @Nullable String getHttpSessionId() {
			return null;
		}

		@Override
		public Instant getOpenedAt() {
			return this.openedAt;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public @Nullable Object getAttribute(String name) {
			return null;
		}

		@Override
		public void setAttribute(String name, @Nullable Object value) {
			throw new UnsupportedOperationException();
		}

		@Override
		public @Nullable Object removeAttribute(String name) {
			return null;
		}

		@Override
		public Set<String> getAttributeNames() {
			return Set.of();
		}

		@Override
		public boolean send(Frame frame) {
			return true;
		}

		@Override
		public void close(int code, String reason) {
		}

		@Override
		public String toString() {
			return this.id;
		}

	}

}
