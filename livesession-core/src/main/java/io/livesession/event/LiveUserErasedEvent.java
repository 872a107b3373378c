package io.livesession.event;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user was erased through {@link io.livesession.revocation.UserErasure}: connections
 * revoked, groups deleted. Published once, on the instance that erased.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveUserErasedEvent extends LiveAuditEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_USER_ERASED";

	private final Set<String> groupIds;

	/**
	 * Create an event.
	 * @param userId the erased user
	 * @param groupIds the groups that were deleted
	 */
	public LiveUserErasedEvent(String userId, Set<String> groupIds) {
		super(userId, TYPE, userId, null);
		this.groupIds = Set.copyOf(groupIds);
	}

	/**
	 * The groups that were deleted.
	 * @return the group ids
	 */
	public Set<String> getGroupIds() {
		return this.groupIds;
	}

	@Override
	protected void addDetails(Map<String, Object> details) {
		details.put("userId", getPrincipalName());
		details.put("groups", List.copyOf(this.groupIds));
	}

}
