package io.livesession.identity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Issues the anonymous cookie on every response whose request lacks a valid one, so pages
 * carry it. A WebSocket handshake is left to the live endpoint, which issues the cookie
 * only when it accepts the handshake: a refused one issues none.
 *
 * @author livesession
 * @see AnonymousCookies
 * @since 0.1.0
 */
public final class AnonymousCookieFilter extends OncePerRequestFilter {

	/**
	 * The request attribute holding the HTTP session id the request named on arrival.
	 * Session fixation protection changes the id at login, and Tomcat then reports the
	 * new one as the requested one too; revocation at login needs the old one, which the
	 * connections opened before the login were bound to.
	 * @since 0.1.0
	 */
	public static final String REQUESTED_SESSION_ID_ATTRIBUTE = AnonymousCookieFilter.class.getName()
			+ ".requestedSessionId";

	private final AnonymousCookies cookies;

	public AnonymousCookieFilter(AnonymousCookies cookies) {
		this.cookies = cookies;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.cookies.resolve(request, response);
		String requestedSessionId = request.getRequestedSessionId();
		if (requestedSessionId != null) {
			request.setAttribute(REQUESTED_SESSION_ID_ATTRIBUTE, requestedSessionId);
		}
		chain.doFilter(request, response);
	}

}
