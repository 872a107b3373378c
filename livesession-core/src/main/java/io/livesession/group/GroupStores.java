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
 */
public final class GroupStores {

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
	 * @param locks serializes the steps of one group
	 * @param timeout the sliding time to live of a group without connections
	 * @return a new store
	 */
	public static <S extends Session> GroupStore springSession(SessionRepository<S> repository,
			Function<String, S> sessionFactory, GroupLocks locks, Duration timeout) {
		return new SpringSessionGroupStore<>(repository, sessionFactory, locks, timeout);
	}

	/**
	 * Locks for one instance.
	 * @return striped in-memory locks
	 */
	public static GroupLocks localLocks() {
		return new StripedGroupLocks(1024);
	}

}
