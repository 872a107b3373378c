package io.livesession.group;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.livesession.Frame;
import io.livesession.GroupIdPage;
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
 * <p>
 * Steps of one group are serialized in this JVM by {@link GroupLocks}. A repository
 * shared with other instances must be a {@link FencedSessionRepository}: a step whose
 * save finds the group changed runs again on the new state, a bounded number of times,
 * and then answers {@link SessionGroupUnavailableException}. Optimistic rather than a
 * cluster-wide lock, so an instance that pauses (a long GC, a stalled VM) neither blocks
 * the group for the others nor writes over their commits when it resumes.
 *
 * @param <S> the session type
 * @author livesession
 */
class SpringSessionGroupStore<S extends Session> implements GroupStore {

	/** The session attribute that holds the group version. */
	static final String VERSION_ATTRIBUTE = "livesession:version";

	private final SessionRepository<S> repository;

	/** Creates an unsaved session for a group, with the group's sliding TTL. */
	private final Function<String, S> newSession;

	private final GroupLocks locks;

	private final int commitAttempts;

	SpringSessionGroupStore(SessionRepository<S> repository, Function<String, S> sessionFactory, GroupLocks locks,
			Duration timeout, int commitAttempts) {
		this.repository = repository;
		this.newSession = sessionFactory.andThen((session) -> {
			session.setMaxInactiveInterval(timeout);
			return session;
		});
		this.locks = locks;
		this.commitAttempts = commitAttempts;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T update(String groupId, Function<StoredGroup, GroupUpdate<T>> step) {
		// The local lock first: steps of one instance queue in memory and never conflict
		// with each other; the fence of a shared repository handles the other instances.
		return this.locks.withLock(groupId, () -> {
			S existing = storage(() -> (this.repository instanceof FencedSessionRepository<S> fenced)
					? fenced.findForUpdate(groupId) : this.repository.findById(groupId));
			for (int attempt = 1;; attempt++) {
				S session = (existing != null) ? existing : this.newSession.apply(groupId);
				StoredGroup current = toStoredGroup(session, existing != null);
				GroupUpdate<T> update = step.apply(current);
				StoredGroup committed = apply(session, current, update);
				session.setLastAccessedTime(Instant.now());
				Function<StoredGroup, Frame> announcement = update.announcement();
				try {
					if (announcement != null && publishesAnnouncements()) {
						Frame frame = announcement.apply(committed);
						storage(() -> {
							((FencedSessionRepository<S>) this.repository).save(session, frame);
							return null;
						});
					}
					else {
						storage(() -> {
							this.repository.save(session);
							return null;
						});
					}
				}
				catch (GroupVersionConflictException ex) {
					if (attempt >= this.commitAttempts) {
						throw new SessionGroupUnavailableException(
								"Group " + groupId + " kept changing during " + attempt + " attempts", ex);
					}
					existing = currentSession(ex);
					pause(attempt);
					continue;
				}
				update.afterCommit().accept(committed);
				return update.result();
			}
		});
	}

	private StoredGroup apply(S session, StoredGroup current, GroupUpdate<?> update) {
		if (update.changes().isEmpty()) {
			return current;
		}
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
		return new StoredGroup(current.id(), version, attributes, true);
	}

	@SuppressWarnings("unchecked")
	private @Nullable S currentSession(GroupVersionConflictException ex) {
		// Produced by this store's own repository, so of its session type.
		return (S) ex.getCurrent();
	}

	/**
	 * The first retry runs at once: the conflict carried the new state, so it needs one
	 * round trip where the winner's next step needs two, which lets the loser through.
	 * Later ones wait a random few milliseconds, so contenders spread out.
	 */
	private static void pause(int attempt) {
		if (attempt < 2) {
			return;
		}
		try {
			Thread.sleep(ThreadLocalRandom.current().nextInt(1 << Math.min(attempt, 5)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SessionGroupUnavailableException("Interrupted while retrying an update", ex);
		}
	}

	@Override
	public boolean publishesAnnouncements() {
		return this.repository instanceof FencedSessionRepository<?> fenced && fenced.publishesAnnouncements();
	}

	/**
	 * Pages through the groups when the repository can list its sessions, as
	 * {@link FencedSessionRepository#ids} does; storage failures are its to translate,
	 * since a foreign cursor must still fail with {@link IllegalArgumentException}.
	 */
	@Override
	public GroupIdPage ids(String cursor, int count) {
		if (this.repository instanceof FencedSessionRepository<S> fenced) {
			return fenced.ids(cursor, count);
		}
		return GroupStore.super.ids(cursor, count);
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
					try {
						this.repository.save(session);
					}
					catch (GroupVersionConflictException ex) {
						// Another instance committed meanwhile, which slid the expiry.
					}
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
		catch (GroupVersionConflictException ex) {
			throw ex;
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
