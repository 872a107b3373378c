package io.livesession.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.Frame;
import io.livesession.SessionGroupUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The optimistic retry of {@link SpringSessionGroupStore} on a
 * {@link FencedSessionRepository}: a repository that refuses the first saves as if
 * another instance had committed first.
 */
class SpringSessionGroupStoreRetryTests {

	@Test
	void aStepThatLostARaceRunsAgainOnTheNewStateAndOnlyTheLastRunCommits() {
		ConflictingRepository repository = new ConflictingRepository(2);
		GroupStore store = GroupStores.springSession(repository, MapSession::new, GroupStores.localLocks(),
				Duration.ofMinutes(1), 5);
		List<Long> seenVersions = new ArrayList<>();
		AtomicInteger afterCommits = new AtomicInteger();
		String result = store.update("g", (current) -> {
			seenVersions.add(current.version());
			return new GroupUpdate<>(Map.of("a", String.valueOf(current.version())), true, "run" + seenVersions.size(),
					(committed) -> afterCommits.incrementAndGet());
		});
		assertThat(result).isEqualTo("run3");
		assertThat(afterCommits).hasValue(1);
		// Each conflict handed over the other instance's newer commit.
		assertThat(seenVersions).containsExactly(0L, 10L, 20L);
		assertThat(store.find("g").version()).isEqualTo(21);
		assertThat(store.find("g").attributes()).containsEntry("a", "20");
	}

	@Test
	void aStepThatKeepsLosingAnswersUnavailableAfterTheBoundAndCommitsNothing() {
		ConflictingRepository repository = new ConflictingRepository(Integer.MAX_VALUE);
		GroupStore store = GroupStores.springSession(repository, MapSession::new, GroupStores.localLocks(),
				Duration.ofMinutes(1), 3);
		AtomicInteger runs = new AtomicInteger();
		assertThatExceptionOfType(SessionGroupUnavailableException.class).isThrownBy(() -> store.update("g",
				(current) -> new GroupUpdate<>(Map.of("a", "x" + runs.incrementAndGet()), true, null, (c) -> {
				})));
		assertThat(runs).hasValue(3);
		assertThat(repository.saved).isZero();
	}

	@Test
	void anAnnouncementIsHandedToTheRepositoryWithTheCommitThatCarriesIt() {
		ConflictingRepository repository = new ConflictingRepository(1);
		GroupStore store = GroupStores.springSession(repository, MapSession::new, GroupStores.localLocks(),
				Duration.ofMinutes(1), 5);
		assertThat(store.publishesAnnouncements()).isTrue();
		store.update("g", (current) -> new GroupUpdate<>(Map.of("a", "1"), true, null,
				(committed) -> Frame.state("v" + committed.version(), committed.version()), (c) -> {
				}));
		assertThat(repository.announcements).containsExactly("v11");
	}

	/**
	 * Refuses the first saves, each time after "another instance" committed version + 10.
	 */
	static final class ConflictingRepository implements FencedSessionRepository<MapSession> {

		private final MapSessionRepository delegate = new MapSessionRepository(new java.util.HashMap<>());

		private int conflicts;

		int saved;

		final List<String> announcements = new ArrayList<>();

		ConflictingRepository(int conflicts) {
			this.conflicts = conflicts;
		}

		@Override
		public MapSession createSession() {
			return this.delegate.createSession();
		}

		@Override
		public void save(MapSession session) {
			if (this.conflicts > 0) {
				this.conflicts--;
				MapSession newer = new MapSession(session.getId());
				Long version = session.getAttribute(SpringSessionGroupStore.VERSION_ATTRIBUTE);
				long base = (version != null) ? version - 1 : 0;
				newer.setAttribute(SpringSessionGroupStore.VERSION_ATTRIBUTE, base + 10);
				newer.setAttribute("a", "other");
				this.delegate.save(newer);
				throw new GroupVersionConflictException(session.getId(), this.delegate.findById(session.getId()));
			}
			this.saved++;
			this.delegate.save(session);
		}

		@Override
		public void save(MapSession session, Frame announcement) {
			save(session);
			this.announcements.add(announcement.getText());
		}

		@Override
		public boolean publishesAnnouncements() {
			return true;
		}

		@Override
		public MapSession findById(String id) {
			return this.delegate.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.delegate.deleteById(id);
		}

	}

}
