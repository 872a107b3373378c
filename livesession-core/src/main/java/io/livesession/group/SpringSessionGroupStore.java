package io.livesession.group;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.livesession.SessionGroupUnavailableException;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * {@link GroupStore} on a Spring Session {@link SessionRepository}: one session per
 * group, the session id is the group id, each attribute is JSON text, the version is one
 * more attribute, and the session's max inactive interval is the group's sliding TTL. The
 * repository is private to the store, never a bean, so Boot's HTTP session support is not
 * affected.
 *
 * @param <S> the session type
 * @author livesession
 */
class SpringSessionGroupStore<S extends Session> implements GroupStore {

	/** The session attribute that holds the group version. */
	static final String VERSION_ATTRIBUTE = "livesession:version";

	private final SessionRepository<S> repository;

	private final Function<String, S> sessionFactory;

	private final GroupLocks locks;

	private final Duration timeout;

	SpringSessionGroupStore(SessionRepository<S> repository, Function<String, S> sessionFactory, GroupLocks locks,
			Duration timeout) {
		this.repository = repository;
		this.sessionFactory = sessionFactory;
		this.locks = locks;
		this.timeout = timeout;
	}

	@Override
	public <T> T update(String groupId, Function<StoredGroup, GroupUpdate<T>> step) {
		return this.locks.withLock(groupId, () -> {
			S existing = storage(() -> this.repository.findById(groupId));
			S session = (existing != null) ? existing : newSession(groupId);
			StoredGroup current = toStoredGroup(session, existing != null);
			GroupUpdate<T> update = step.apply(current);
			StoredGroup committed = current;
			if (!update.changes().isEmpty()) {
				Map<String, String> attributes = new HashMap<>(current.attributes());
				update.changes().forEach((name, json) -> {
					if (json != null) {
						session.setAttribute(name, json);
						attributes.put(name, json);
					}
					else {
						session.removeAttribute(name);
						attributes.remove(name);
					}
				});
				long version = current.version() + (update.versioned() ? 1 : 0);
				session.setAttribute(VERSION_ATTRIBUTE, version);
				committed = new StoredGroup(groupId, version, attributes, true);
			}
			session.setLastAccessedTime(Instant.now());
			storage(() -> {
				this.repository.save(session);
				return null;
			});
			update.afterCommit().accept(committed);
			return update.result();
		});
	}

	private S newSession(String groupId) {
		S session = this.sessionFactory.apply(groupId);
		session.setMaxInactiveInterval(this.timeout);
		return session;
	}

	@Override
	public @Nullable StoredGroup find(String groupId) {
		S session = storage(() -> this.repository.findById(groupId));
		return (session != null) ? toStoredGroup(session, true) : null;
	}

	@Override
	public void touch(Collection<String> groupIds) {
		for (String groupId : groupIds) {
			this.locks.withLock(groupId, () -> storage(() -> {
				S session = this.repository.findById(groupId);
				if (session != null) {
					session.setLastAccessedTime(Instant.now());
					this.repository.save(session);
				}
				return null;
			}));
		}
	}

	@Override
	public void delete(String groupId) {
		this.locks.withLock(groupId, () -> storage(() -> {
			this.repository.deleteById(groupId);
			return null;
		}));
	}

	/**
	 * The lock of a group, for subclasses that maintain the storage directly.
	 * @return the locks
	 */
	GroupLocks getLocks() {
		return this.locks;
	}

	private static StoredGroup toStoredGroup(Session session, boolean exists) {
		Map<String, String> attributes = new HashMap<>();
		long version = 0;
		for (String name : session.getAttributeNames()) {
			Object value = session.getAttribute(name);
			if (VERSION_ATTRIBUTE.equals(name)) {
				version = ((Number) value).longValue();
			}
			else if (value instanceof String json) {
				attributes.put(name, json);
			}
		}
		return new StoredGroup(session.getId(), version, attributes, exists);
	}

	/**
	 * Run a storage call, translating its failures: handler failures must pass through
	 * unchanged, so only calls to the repository are wrapped.
	 */
	private static <T> T storage(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			throw new SessionGroupUnavailableException("The session group store cannot be reached", ex);
		}
	}

	@Override
	public String toString() {
		return "Spring Session (" + this.repository.getClass().getSimpleName() + ")";
	}

}
