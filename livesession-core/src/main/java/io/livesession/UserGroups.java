package io.livesession;

import java.util.Set;

/**
 * The groups that hold a user's own data, the ones
 * {@link io.livesession.revocation.UserErasure} deletes. The default is the user's group
 * of the default {@link GroupResolver} ({@code user:<name>}); an application that maps
 * users to groups of its own, and wants them erased, declares a bean. Never return groups
 * shared with other users.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface UserGroups {

	/**
	 * The ids of the groups that belong to the user alone.
	 * @param userId the user id
	 * @return the group ids, possibly empty
	 */
	Set<String> groupIds(String userId);

}
