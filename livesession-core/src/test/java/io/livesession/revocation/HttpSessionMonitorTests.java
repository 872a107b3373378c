package io.livesession.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.metrics.LiveMetrics;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpSessionMonitor}.
 */
class HttpSessionMonitorTests {

	private final TestConnections connections = new TestConnections();

	private final LocalRevocations revocations = new LocalRevocations(this.connections.registry,
			this.connections.bindings, (event) -> {
			}, LiveMetrics.NONE);

	private final Map<String, Session> store = new ConcurrentHashMap<>();

	private final CountingRepository repository = new CountingRepository(this.store);

	private HttpSessionMonitor monitor(boolean keepAlive) {
		return new HttpSessionMonitor(this.connections.bindings, this.revocations, this.repository,
				Duration.ofSeconds(30), keepAlive, new SimpleAsyncTaskScheduler());
	}

	private MapSession storedSession(Duration timeout, Instant lastAccessed) {
		MapSession session = new MapSession();
		session.setMaxInactiveInterval(timeout);
		session.setLastAccessedTime(lastAccessed);
		this.store.put(session.getId(), new MapSession(session));
		return session;
	}

	@Test
	void revokesTheConnectionsOfASpringSessionThatNoLongerExists() {
		MapSession kept = storedSession(Duration.ofMinutes(30), Instant.now());
		this.connections.open("gone", "alice", "deleted-session", "b1");
		this.connections.open("kept", "bob", kept.getId(), "b2");
		assertThat(monitor(true).runOnce()).isEqualTo(1);
		assertThat(this.connections.closesOf("gone")).containsExactly("1008 revoked");
		assertThat(this.connections.closesOf("kept")).isEmpty();
	}

	@Test
	void revokesTheConnectionsOfAnExpiredSpringSession() {
		MapSession expired = storedSession(Duration.ofSeconds(10), Instant.now().minusSeconds(60));
		this.connections.open("c", "alice", expired.getId(), "b1");
		monitor(true).runOnce();
		assertThat(this.connections.closesOf("c")).containsExactly("1008 revoked");
	}

	@Test
	void touchesASpringSessionIdleForHalfItsTimeout() {
		Instant old = Instant.now().minusSeconds(6);
		MapSession session = storedSession(Duration.ofSeconds(10), old);
		this.connections.open("c", "alice", session.getId(), "b1");
		monitor(true).runOnce();
		assertThat(this.store.get(session.getId()).getLastAccessedTime()).isAfter(old);
		assertThat(this.connections.closesOf("c")).isEmpty();
	}

	@Test
	void touchesALongLivedSpringSessionOncePerMinute() {
		Instant old = Instant.now().minusSeconds(61);
		MapSession session = storedSession(Duration.ofHours(8), old);
		this.connections.open("c", "alice", session.getId(), "b1");
		monitor(true).runOnce();
		assertThat(this.store.get(session.getId()).getLastAccessedTime()).isAfter(old);
	}

	@Test
	void leavesARecentlyUsedSpringSessionAlone() {
		Instant recent = Instant.now().minusSeconds(2);
		MapSession session = storedSession(Duration.ofSeconds(10), recent);
		this.connections.open("c", "alice", session.getId(), "b1");
		monitor(true).runOnce();
		assertThat(this.repository.saves.get()).isZero();
	}

	@Test
	void touchesNothingWithoutKeepAlive() {
		MapSession session = storedSession(Duration.ofSeconds(10), Instant.now().minusSeconds(6));
		this.connections.open("c", "alice", session.getId(), "b1");
		monitor(false).runOnce();
		assertThat(this.repository.saves.get()).isZero();
		assertThat(this.connections.closesOf("c")).isEmpty();
	}

	@Test
	void neverRevokesWhenTheSessionStoreFails() {
		this.repository.failing = true;
		this.connections.open("c", "alice", "any", "b1");
		assertThat(monitor(true).runOnce()).isZero();
		assertThat(this.connections.closesOf("c")).isEmpty();
	}

	@Test
	void ignoresTheHttpSessionOfAnonymousConnections() {
		this.connections.open("anonymous", null, "deleted-session", "b1");
		assertThat(monitor(true).runOnce()).isZero();
		assertThat(this.connections.closesOf("anonymous")).isEmpty();
		assertThat(this.repository.lookups.get()).isZero();
	}

	@Test
	void revokesTheConnectionsOfAnInvalidatedContainerSession() {
		AccessibleSession session = new AccessibleSession();
		this.connections.open("c", "alice", session.getId(), "b1", session);
		session.invalidate();
		monitor(true).runOnce();
		assertThat(this.connections.closesOf("c")).containsExactly("1008 revoked");
		assertThat(this.repository.lookups.get()).as("the container session is asked, not the repository").isZero();
	}

	@Test
	void keepsAContainerSessionThatIsStillValid() {
		AccessibleSession session = new AccessibleSession();
		session.setMaxInactiveInterval(1800);
		this.connections.open("c", "alice", session.getId(), "b1", session);
		monitor(true).runOnce();
		assertThat(this.connections.closesOf("c")).isEmpty();
	}

	@Test
	void revokesTheConnectionsOfAContainerSessionPastItsTimeout() throws InterruptedException {
		AccessibleSession session = new AccessibleSession();
		session.setMaxInactiveInterval(1);
		this.connections.open("c", "alice", session.getId(), "b1", session);
		Thread.sleep(1100);
		monitor(true).runOnce();
		assertThat(this.connections.closesOf("c")).containsExactly("1008 revoked");
	}

	@Test
	void touchesAContainerSessionThroughItsAccessor() throws InterruptedException {
		AccessibleSession session = new AccessibleSession();
		session.setMaxInactiveInterval(2);
		this.connections.open("c", "alice", session.getId(), "b1", session);
		Thread.sleep(1100);
		monitor(true).runOnce();
		assertThat(session.accesses.get()).isEqualTo(1);
		assertThat(this.connections.closesOf("c")).isEmpty();
		monitor(false).runOnce();
		assertThat(session.accesses.get()).isEqualTo(1);
	}

	/**
	 * A session that, like a Servlet 6.1 container's, can be accessed outside a request.
	 */
	static class AccessibleSession extends MockHttpSession {

		final AtomicInteger accesses = new AtomicInteger();

		private boolean valid = true;

		@Override
		public void invalidate() {
			this.valid = false;
			super.invalidate();
		}

		@Override
		public @Nullable Accessor getAccessor() {
			return (consumer) -> {
				if (!this.valid) {
					throw new IllegalStateException("invalidated");
				}
				this.accesses.incrementAndGet();
				access();
				consumer.accept((HttpSession) this);
			};
		}

	}

	/**
	 * A {@link MapSessionRepository} that counts and can fail.
	 */
	static class CountingRepository implements SessionRepository<MapSession> {

		private final MapSessionRepository delegate;

		final AtomicInteger lookups = new AtomicInteger();

		final AtomicInteger saves = new AtomicInteger();

		volatile boolean failing;

		CountingRepository(Map<String, Session> store) {
			this.delegate = new MapSessionRepository(store);
		}

		@Override
		public MapSession createSession() {
			return this.delegate.createSession();
		}

		@Override
		public void save(MapSession session) {
			this.saves.incrementAndGet();
			this.delegate.save(session);
		}

		@Override
		public @Nullable MapSession findById(String id) {
			this.lookups.incrementAndGet();
			if (this.failing) {
				throw new IllegalStateException("store down");
			}
			return this.delegate.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.delegate.deleteById(id);
		}

	}

}
