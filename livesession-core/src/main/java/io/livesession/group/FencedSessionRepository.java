package io.livesession.group;

import io.livesession.Frame;
import io.livesession.GroupIdPage;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * A {@link SessionRepository} shared by several instances whose {@link #save save} is
 * fenced by a version: it commits only if the group is still stored at the version the
 * session was read at (or still absent, for a new session), and otherwise throws
 * {@link GroupVersionConflictException} and changes nothing. This is what makes
 * read-modify-write steps safe without a cluster-wide lock: a step that lost a race, or
 * an instance that resumes after a long pause, cannot write over a newer commit.
 *
 * @param <S> the session type
 * @author livesession
 * @since 0.1.0
 */
public interface FencedSessionRepository<S extends Session> extends SessionRepository<S> {

	/**
	 * Save like {@link #save(Session)} and, in the same atomic step, publish a group's
	 * {@code state} frame to the group's connections on every instance, so that the order
	 * of state frames is the commit order everywhere.
	 * @param session the session
	 * @param announcement the frame
	 * @throws GroupVersionConflictException when the group changed since it was read
	 */
	void save(S session, Frame announcement);

	/**
	 * Whether {@link #save(Session, Frame)} publishes the frame; when not, the caller
	 * delivers it after the commit.
	 * @return true when announcements are published with the commit
	 */
	boolean publishesAnnouncements();

	/**
	 * Find a session to run a step on and then {@link #save save}: possibly a copy this
	 * repository kept of its own last commit rather than a fresh read. A stale copy is
	 * safe, because the save is fenced (it costs one conflict and a re-run), and it saves
	 * a round trip whenever this instance is the group's only writer. Its save is fenced
	 * even when the step changed nothing, so that a result computed from it is never
	 * stale. Never for reads that are answered as they are: use {@link #findById}.
	 * @param id the session id
	 * @return the session, or {@code null} when there is none
	 * @since 0.1.0
	 */
	default @Nullable S findForUpdate(String id) {
		return findById(id);
	}

	/**
	 * One page of the ids of every stored session, for {@link GroupStore#ids}.
	 * @param cursor {@link GroupIdPage#FIRST} or a cursor this repository issued
	 * @param count about how many ids to return
	 * @return the page
	 * @throws UnsupportedOperationException when the repository cannot list its sessions
	 * @since 0.1.0
	 */
	default GroupIdPage ids(String cursor, int count) {
		throw new UnsupportedOperationException(this + " cannot list its groups");
	}

}
