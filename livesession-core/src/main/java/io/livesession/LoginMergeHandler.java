package io.livesession;

/**
 * Carries chosen attributes of a browser's anonymous group into the group of the user who
 * just logged in with that browser (a shopping cart, say). Opt-in: it runs only when the
 * application declares a bean of this type. The anonymous group is never reused as the
 * user's group, so without a handler nothing crosses a login.
 *
 * <p>
 * Runs during the login request, inside an atomic update of the user's group: the changes
 * made to {@code userGroup} are committed together and pushed to the user's connections.
 * If the handler throws, nothing is committed and the login still succeeds.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface LoginMergeHandler {

	/**
	 * Merge anonymous state into the user's group.
	 * @param anonymousGroup a snapshot of the browser's anonymous group; never empty
	 * @param userGroup the user's group, to change
	 */
	void merge(SessionGroup anonymousGroup, GroupState userGroup);

}
