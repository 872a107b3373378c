package io.livesession.group;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

/**
 * The in-memory group store: Spring Session's {@link MapSessionRepository} over a map
 * this store keeps, so expired groups can be swept (the repository itself only drops an
 * expired session when it is read).
 *
 * @author livesession
 */
final class InMemoryGroupStore extends SpringSessionGroupStore<MapSession> {

	private final Map<String, Session> sessions;

	private InMemoryGroupStore(Map<String, Session> sessions, GroupLocks locks, Duration timeout) {
		super(repository(sessions, timeout), MapSession::new, locks, timeout, 1);
		this.sessions = sessions;
	}

	InMemoryGroupStore(Duration timeout) {
		this(new ConcurrentHashMap<>(), new StripedGroupLocks(1024), timeout);
	}

	private static MapSessionRepository repository(Map<String, Session> sessions, Duration timeout) {
		MapSessionRepository repository = new MapSessionRepository(sessions);
		repository.setDefaultMaxInactiveInterval(timeout);
		return repository;
	}

	@Override
	public int removeExpired() {
		int removed = 0;
		for (Map.Entry<String, Session> entry : this.sessions.entrySet()) {
			if (entry.getValue().isExpired()) {
				// Re-checked under the group's lock: an update may have just revived it.
				boolean gone = getLocks().withLock(entry.getKey(), () -> this.sessions.computeIfPresent(entry.getKey(),
						(id, session) -> session.isExpired() ? null : session) == null);
				removed += gone ? 1 : 0;
			}
		}
		return removed;
	}

	/**
	 * Number of stored groups, expired or not.
	 * @return the count
	 */
	int size() {
		return this.sessions.size();
	}

	@Override
	public String toString() {
		return "in-memory (Spring Session MapSessionRepository)";
	}

}
