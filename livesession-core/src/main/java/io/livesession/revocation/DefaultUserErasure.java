package io.livesession.revocation;

import java.util.LinkedHashSet;
import java.util.Set;

import io.livesession.event.LiveUserErasedEvent;
import io.livesession.SessionGroups;
import io.livesession.UserGroups;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * Revokes the user's connections through {@link Revocations} (every instance), then
 * deletes the user's groups through {@link SessionGroups}, so that whichever store backs
 * them (memory, Redis) loses them, then publishes a {@link LiveUserErasedEvent}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class DefaultUserErasure implements UserErasure {

	private static final Log logger = LogFactory.getLog(DefaultUserErasure.class);

	private final Revocations revocations;

	private final SessionGroups groups;

	private final UserGroups userGroups;

	private final ApplicationEventPublisher events;

	public DefaultUserErasure(Revocations revocations, SessionGroups groups, UserGroups userGroups,
			ApplicationEventPublisher events) {
		this.revocations = revocations;
		this.groups = groups;
		this.userGroups = userGroups;
		this.events = events;
	}

	@Override
	public Set<String> erase(String userId) {
		Assert.hasText(userId, "'userId' must not be empty");
		// Connections first: a connection left open could write to a group just deleted.
		this.revocations.revokeUser(userId);
		Set<String> deleted = new LinkedHashSet<>(this.userGroups.groupIds(userId));
		deleted.forEach(this.groups::delete);
		logger.info("Erased user " + userId + ": connections revoked, groups " + deleted + " deleted");
		this.events.publishEvent(new LiveUserErasedEvent(userId, deleted));
		return deleted;
	}

}
