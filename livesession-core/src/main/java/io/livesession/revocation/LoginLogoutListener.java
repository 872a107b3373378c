package io.livesession.revocation;

import java.util.LinkedHashSet;
import java.util.Set;

import io.livesession.GroupResolver;
import io.livesession.LoginMergeHandler;
import io.livesession.event.RevocationReason;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookieFilter;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.LiveUser;
import io.livesession.identity.UserResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Follows Spring Security's login and logout events, on every instance through the
 * {@link RevocationChannel}:
 * <ul>
 * <li>{@link LogoutSuccessEvent} (published by Spring Security's logout filter): the
 * connections opened with the logged-out HTTP session are revoked; the user's other
 * sessions keep theirs.</li>
 * <li>{@link InteractiveAuthenticationSuccessEvent} (form, OAuth2 or remember-me login):
 * a {@link LoginMergeHandler}, if there is one, carries anonymous state into the user's
 * group; then the connections the browser had open as anonymous or as another user, and
 * those opened under the same HTTP session, are revoked, so its clients come back with
 * the new identity.</li>
 * </ul>
 * Both rotate the anonymous cookie: a fresh value, hence a fresh anonymous group, so a
 * cookie known before (planted, or read on a shared computer) is worth nothing after, and
 * what was typed anonymously before login does not come back after logout. Both need the
 * request at hand, which Spring Boot's {@code RequestContextFilter} exposes to the
 * security filters.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LoginLogoutListener implements ApplicationListener<AbstractAuthenticationEvent> {

	private static final Log logger = LogFactory.getLog(LoginLogoutListener.class);

	private final RevocationChannel channel;

	private final AnonymousCookies cookies;

	private final UserResolver userResolver;

	private final @Nullable AnonymousStateMerge merge;

	public LoginLogoutListener(RevocationChannel channel, AnonymousCookies cookies, UserResolver userResolver,
			GroupResolver groupResolver, SessionGroups groups, @Nullable LoginMergeHandler mergeHandler) {
		this.channel = channel;
		this.cookies = cookies;
		this.userResolver = userResolver;
		this.merge = (mergeHandler != null) ? new AnonymousStateMerge(groupResolver, groups, mergeHandler) : null;
	}

	@Override
	public void onApplicationEvent(AbstractAuthenticationEvent event) {
		if (event instanceof LogoutSuccessEvent) {
			loggedOut();
		}
		else if (event instanceof InteractiveAuthenticationSuccessEvent) {
			loggedIn(event.getAuthentication());
		}
	}

	private void loggedOut() {
		ServletRequestAttributes attributes = currentRequest();
		if (attributes == null) {
			logger.debug("Logout outside a request: its connections are revoked by the HTTP session check");
			return;
		}
		HttpServletRequest request = attributes.getRequest();
		// The logout handlers invalidate the session before the event, but the request
		// still names it; a session kept by invalidateHttpSession(false) counts too.
		for (String httpSessionId : httpSessionIds(request)) {
			this.channel.publish(new Revocation(Revocation.Kind.HTTP_SESSION, httpSessionId, RevocationReason.LOGOUT));
		}
		HttpServletResponse response = attributes.getResponse();
		if (response != null) {
			// A fresh anonymous group: what was typed before login, under the old
			// cookie, must not come back after logout.
			this.cookies.rotate(request, response);
		}
	}

	/**
	 * Every id the request's HTTP session went by: the one it arrived with (kept by the
	 * cookie filter before fixation protection changed it), the one it names, and the
	 * current one.
	 */
	private static Set<String> httpSessionIds(HttpServletRequest request) {
		Set<String> ids = new LinkedHashSet<>();
		if (request.getAttribute(AnonymousCookieFilter.REQUESTED_SESSION_ID_ATTRIBUTE) instanceof String arrived) {
			ids.add(arrived);
		}
		if (request.getRequestedSessionId() != null) {
			ids.add(request.getRequestedSessionId());
		}
		HttpSession session = request.getSession(false);
		if (session != null) {
			ids.add(session.getId());
		}
		return ids;
	}

	private void loggedIn(Authentication authentication) {
		ServletRequestAttributes attributes = currentRequest();
		if (attributes == null) {
			return;
		}
		HttpServletRequest request = attributes.getRequest();
		String cookie = browserCookie(request, attributes.getResponse());
		if (cookie == null) {
			return;
		}
		String browserId = AnonymousCookies.deriveId(cookie);
		LiveUser user = this.userResolver.resolve(request);
		String userId = (user != null) ? user.userId() : authentication.getName();
		if (this.merge != null && user != null) {
			this.merge.merge(request, browserId, user);
		}
		// The user's own connections are spared: an authentication repeated on every
		// request (pre-authentication, stateless remember-me) must not close them.
		this.channel.publish(new Revocation(Revocation.Kind.BROWSER, browserId, RevocationReason.LOGIN, userId));
		// Connections opened under the same HTTP session with another cookie (or
		// none) are someone else's too: the session now belongs to this user. The
		// session id may have just changed (fixation protection): the cookie filter
		// kept the one the connections were opened with.
		for (String httpSessionId : httpSessionIds(request)) {
			this.channel
				.publish(new Revocation(Revocation.Kind.HTTP_SESSION, httpSessionId, RevocationReason.LOGIN, userId));
		}
		HttpServletResponse response = attributes.getResponse();
		if (response != null) {
			// After the merge, which read the old group: a cookie known before login
			// (planted, or seen on a shared computer) is worth nothing after it.
			this.cookies.rotate(request, response);
		}
	}

	private @Nullable String browserCookie(HttpServletRequest request, @Nullable HttpServletResponse response) {
		if (request.getAttribute(AnonymousCookies.VALUE_ATTRIBUTE) instanceof String value) {
			return value;
		}
		return (response != null) ? this.cookies.resolve(request, response) : null;
	}

	private static @Nullable ServletRequestAttributes currentRequest() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet : null;
	}

}
