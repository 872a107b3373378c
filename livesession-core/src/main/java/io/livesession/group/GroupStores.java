package io.livesession.group;

import java.time.Duration;
import java.util.function.Function;

import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.util.Assert;

/**
 * Factory methods for {@link GroupStore} implementations.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class GroupStores {

	/** Attempts of a step on a fenced repository unless told otherwise. */
	public static final int DEFAULT_COMMIT_ATTEMPTS = 10;

	private GroupStores() {
	}

	/**
	 * A store in this JVM's memory, on Spring Session's {@code MapSessionRepository}.
	 * @param timeout the sliding time to live of a group without connections
	 * @return a new store
	 */
	public static GroupStore inMemory(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		return new InMemoryGroupStore(timeout);
	}

	/**
	 * A store on any Spring Session repository.
	 * @param <S> the session type
	 * @param repository the repository, private to the store
	 * @param sessionFactory creates an unsaved session with the given id
	 * @param locks serializes the steps of one group in this JVM
	 * @param timeout the sliding time to live of a group without connections
	 * @return a new store
	 */
	public static <S extends Session> GroupStore springSession(SessionRepository<S> repository,
			Function<String, S> sessionFactory, GroupLocks locks, Duration timeout) {
		return springSession(repository, sessionFactory, locks, timeout, DEFAULT_COMMIT_ATTEMPTS);
	}

	/**
	 * A store on any Spring Session repository; on a {@link FencedSessionRepository} a
	 * step that lost a race with another instance runs again, up to the given number of
	 * attempts in all.
	 * @param <S> the session type
	 * @param repository the repository, private to the store
	 * @param sessionFactory creates an unsaved session with the given id
	 * @param locks serializes the steps of one group in this JVM
	 * @param timeout the sliding time to live of a group without connections
	 * @param commitAttempts how many times a step may run before the update answers
	 * unavailable
	 * @return a new store
	 * @since 0.1.0
	 */
	public static <S extends Session> GroupStore springSession(SessionRepository<S> repository,
			Function<String, S> sessionFactory, GroupLocks locks, Duration timeout, int commitAttempts) {
		Assert.isTrue(commitAttempts > 0, "'commitAttempts' must be positive");
		return new SpringSessionGroupStore<>(repository, sessionFactory, locks, timeout, commitAttempts);
	}

	/**
	 * Locks for one instance.
	 * @return striped in-memory locks
	 */
	public static GroupLocks localLocks() {
		return new StripedGroupLocks(1024);
	}

}
