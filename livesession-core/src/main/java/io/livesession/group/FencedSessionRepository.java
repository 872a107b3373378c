package io.livesession.group;

import io.livesession.Frame;
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

}
