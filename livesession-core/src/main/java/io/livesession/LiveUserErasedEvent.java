package io.livesession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user was erased through {@link UserErasure}: connections revoked, groups deleted.
 * Published once, on the instance that erased.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveUserErasedEvent extends LiveAuditEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_USER_ERASED";

	private final Set<String> groupIds;

	public LiveUserErasedEvent(String userId, Set<String> groupIds) {
		super(userId, userId, null);
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
	public String getType() {
		return TYPE;
	}

	@Override
	public Map<String, Object> getDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("userId", getPrincipalName());
		details.put("groups", List.copyOf(this.groupIds));
		return details;
	}

}
