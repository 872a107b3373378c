package io.livesession.revocation;

import java.util.Set;

import io.livesession.ConnectRequest;
import io.livesession.GroupResolver;
import io.livesession.LoginMergeHandler;
import io.livesession.SessionGroup;
import io.livesession.SessionGroups;
import io.livesession.identity.LiveUser;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;

/**
 * Carries the state a browser gathered anonymously into the group of the user it logs in
 * as, through the application's {@link LoginMergeHandler}. Apart from
 * {@link LoginLogoutListener} because it is the only part of a login that reads and
 * writes groups; the listener only revokes and rotates.
 *
 * @param groupResolver resolves the anonymous and the user's group
 * @param groups reads and updates them
 * @param handler the application's merge
 * @author livesession
 */
record AnonymousStateMerge(GroupResolver groupResolver, SessionGroups groups, LoginMergeHandler handler) {

	private static final Log logger = LogFactory.getLog(AnonymousStateMerge.class);

	/**
	 * Merge the browser's anonymous group into the user's, unless they are the same group
	 * or the anonymous one is empty. Never throws: a failed merge must not fail the
	 * login.
	 * @param request the login request
	 * @param browserId the browser's anonymous id
	 * @param user the user who logged in
	 */
	void merge(HttpServletRequest request, String browserId, LiveUser user) {
		try {
			ServerHttpRequest http = new ServletServerHttpRequest(request);
			String anonymousGroupId = this.groupResolver
				.resolveGroup(new ConnectRequest(http, null, null, Set.of(), browserId));
			String userGroupId = this.groupResolver
				.resolveGroup(new ConnectRequest(http, user.userId(), user.principal(), user.authorities(), browserId));
			if (anonymousGroupId.equals(userGroupId)) {
				return;
			}
			SessionGroup anonymous = this.groups.get(anonymousGroupId);
			if (anonymous.getAttributeNames().isEmpty()) {
				return;
			}
			this.groups.update(userGroupId, (state) -> {
				this.handler.merge(anonymous, state);
				return null;
			});
		}
		catch (RuntimeException ex) {
			// The anonymous group is untouched.
			logger.warn("Could not merge anonymous state into the user's group on login", ex);
		}
	}

}
