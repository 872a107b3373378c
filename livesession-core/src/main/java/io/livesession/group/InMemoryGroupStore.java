package io.livesession.group;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.GroupIdPage;

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

	/** Tells this store's cursors from {@link GroupIdPage#FIRST} and foreign ones. */
	private static final String CURSOR_PREFIX = "after:";

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
	 * Pages in id order; the cursor is the last id returned, so a group that exists
	 * during the whole walk is returned exactly once, whatever else changes.
	 */
	@Override
	public GroupIdPage ids(String cursor, int count) {
		String after;
		if (GroupIdPage.FIRST.equals(cursor)) {
			after = null;
		}
		else if (cursor.startsWith(CURSOR_PREFIX)) {
			after = cursor.substring(CURSOR_PREFIX.length());
		}
		else {
			throw new IllegalArgumentException("Not a cursor of this store: '" + cursor + "'");
		}
		// A sorted snapshot per page: O(n log n), acceptable for an administrative walk
		// and free of any lock that sessions would contend for.
		List<String> ids = this.sessions.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isExpired())
			.map(Map.Entry::getKey)
			.filter((id) -> after == null || id.compareTo(after) > 0)
			.sorted()
			.limit(count + 1L)
			.toList();
		if (ids.size() <= count) {
			return new GroupIdPage(ids, null);
		}
		List<String> page = ids.subList(0, count);
		return new GroupIdPage(page, CURSOR_PREFIX + page.get(count - 1));
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
