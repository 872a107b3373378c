package io.livesession.revocation;

import io.livesession.event.RevocationReason;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.springframework.context.ApplicationListener;
import org.springframework.session.events.SessionDestroyedEvent;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Revokes the connections of an HTTP session when it ends: a servlet container session
 * through {@link HttpSessionListener}, a Spring Session session through its
 * {@link SessionDestroyedEvent} where the repository publishes one (the indexed Redis
 * repository does). Every instance sees these for its own connections, so the revocation
 * stays local. Sessions whose end is not announced are found by
 * {@link HttpSessionMonitor}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class HttpSessionEndListener implements HttpSessionListener, ApplicationListener<SessionDestroyedEvent> {

	private static final String CALLBACK_PREFIX = HttpSessionEndListener.class.getName() + ".";

	private final LocalRevocations revocations;

	public HttpSessionEndListener(LocalRevocations revocations) {
		this.revocations = revocations;
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		ended(event.getSession().getId());
	}

	@Override
	public void onApplicationEvent(SessionDestroyedEvent event) {
		ended(event.getSessionId());
	}

	private void ended(String httpSessionId) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null) {
			// Invalidated while a request is handled, typically by a logout: Spring
			// Security announces the logout only after invalidating the session, so wait
			// for the end of the request and let a logout revoke with its own reason.
			request.registerDestructionCallback(CALLBACK_PREFIX + httpSessionId, () -> revoke(httpSessionId),
					RequestAttributes.SCOPE_REQUEST);
		}
		else {
			revoke(httpSessionId);
		}
	}

	private void revoke(String httpSessionId) {
		this.revocations
			.revoke(new Revocation(Revocation.Kind.HTTP_SESSION, httpSessionId, RevocationReason.HTTP_SESSION_ENDED));
	}

}
