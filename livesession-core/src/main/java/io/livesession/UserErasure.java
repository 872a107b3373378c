package io.livesession;

import java.util.Set;

/**
 * Erases a user from livesession, for a "right to be forgotten" request or a deleted
 * account: closes every connection of the user with 1008 {@code revoked} on every
 * instance, deletes the user's groups ({@link UserGroups}) from the group store, and
 * publishes a {@link LiveUserErasedEvent}.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface UserErasure {

	/**
	 * Erase a user.
	 * @param userId the user id
	 * @return the ids of the groups that were deleted
	 */
	Set<String> erase(String userId);

}
