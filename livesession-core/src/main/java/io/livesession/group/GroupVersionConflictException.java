package io.livesession.group;

import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;

/**
 * Thrown by a {@link FencedSessionRepository} when a group changed since it was read: the
 * save committed nothing. Carries the group as it is stored now, so the caller can run
 * its step again without another read.
 *
 * @author livesession
 * @since 0.1.0
 */
public class GroupVersionConflictException extends RuntimeException {

	private final transient @Nullable Session current;

	/**
	 * Create an exception.
	 * @param groupId the group id
	 * @param current the group as stored now, {@code null} when it is gone
	 */
	public GroupVersionConflictException(String groupId, @Nullable Session current) {
		super("Group " + groupId + " changed since it was read", null, false, false);
		this.current = current;
	}

	/**
	 * The group as stored when the conflict was found.
	 * @return the stored session, {@code null} when the group is gone
	 */
	public @Nullable Session getCurrent() {
		return this.current;
	}

}
