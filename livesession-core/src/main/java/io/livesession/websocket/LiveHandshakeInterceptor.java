package io.livesession.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.livesession.ConnectInterceptor;
import io.livesession.ConnectRequest;
import io.livesession.GroupResolver;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.ConnectResolver;
import io.livesession.identity.UserResolver;
import io.livesession.limits.ConnectionLimits;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Resolves identity and group at the handshake with a {@link ConnectResolver}: 401 when
 * authentication is required and missing, 403 with the reason when a connect hook
 * rejects; then admits the connection within its {@link ConnectionLimits}: 429 with
 * {@code Retry-After} over a per-user, per-browser, per-address or new-group limit, 503
 * over the instance's. Runs last, after spring-websocket's origin check. Each refusal is
 * logged at DEBUG with its reason, and a refused handshake issues no anonymous cookie:
 * the cookie a new browser gets is held back until the handshake is accepted.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveHandshakeInterceptor implements HandshakeInterceptor {

	/** The handshake attribute holding the accepted {@link ConnectRequest}. */
	public static final String CONNECT_REQUEST_ATTRIBUTE = LiveHandshakeInterceptor.class.getName() + ".request";

	/** The handshake attribute holding the HTTP session id, if any. */
	public static final String HTTP_SESSION_ATTRIBUTE = LiveHandshakeInterceptor.class.getName() + ".httpSession";

	/**
	 * The handshake attribute holding the servlet container's {@link HttpSession}, if the
	 * handshake had one that can be accessed after the request (Servlet 6.1's
	 * {@link HttpSession#getAccessor()}), to check and keep it alive later.
	 */
	public static final String CONTAINER_SESSION_ATTRIBUTE = LiveHandshakeInterceptor.class.getName()
			+ ".containerSession";

	/**
	 * The handshake attribute holding the connection's {@link ConnectionLimits.Permit}.
	 */
	public static final String PERMIT_ATTRIBUTE = LiveHandshakeInterceptor.class.getName() + ".permit";

	private static final Log logger = LogFactory.getLog(LiveHandshakeInterceptor.class);

	private final ConnectResolver resolver;

	private final @Nullable ConnectionLimits limits;

	private final Predicate<String> groupExists;

	public LiveHandshakeInterceptor(AnonymousCookies cookies, UserResolver userResolver, GroupResolver groupResolver,
			List<ConnectInterceptor> connectInterceptors, boolean requireAuthentication) {
		this(new ConnectResolver(cookies, userResolver, groupResolver, connectInterceptors, requireAuthentication,
				(event) -> {
				}), null, (groupId) -> true);
	}

	/**
	 * Create an interceptor that enforces connection limits.
	 * @param resolver resolves identity and group
	 * @param limits the limits, or {@code null} for none
	 * @param groupExists whether a group exists already; an anonymous handshake for a
	 * group that does not counts as a new group of its remote address
	 * @since 0.1.0
	 */
	public LiveHandshakeInterceptor(ConnectResolver resolver, @Nullable ConnectionLimits limits,
			Predicate<String> groupExists) {
		this.resolver = resolver;
		this.limits = limits;
		this.groupExists = groupExists;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		Assert.isInstanceOf(ServletServerHttpRequest.class, request, "livesession needs a Servlet container");
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		HttpServletResponse servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
		CookieHoldingResponse held = new CookieHoldingResponse(servletResponse);
		ConnectResolver.Resolution resolution = this.resolver.resolve(request, servletRequest, held);
		ConnectRequest connect = resolution.request();
		if (connect == null) {
			refused(request, resolution.status().value(), resolution.reason());
			response.setStatusCode(resolution.status());
			if (resolution.status() == HttpStatus.FORBIDDEN) {
				response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
				response.getBody().write(resolution.reason().getBytes(StandardCharsets.UTF_8));
			}
			return false;
		}
		if (this.limits != null) {
			ConnectionLimits.Refusal refusal = this.limits.newGroup(connect, this.groupExists,
					request.getRemoteAddress());
			ConnectionLimits.Permit permit = null;
			if (refusal == null) {
				ConnectionLimits.Admission admission = this.limits.admit(connect.getUserId(), connect.getAnonymousId(),
						request.getRemoteAddress());
				refusal = admission.refusal();
				permit = admission.permit();
			}
			if (refusal != null) {
				refused(request, refusal.status(), "over the " + refusal.limit() + " limit: " + refusal.reason());
				response.setStatusCode(HttpStatus.valueOf(refusal.status()));
				response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
				return false;
			}
			attributes.put(PERMIT_ATTRIBUTE, permit);
			servletRequest.setAttribute(PERMIT_ATTRIBUTE, permit);
		}
		held.issue();
		attributes.put(CONNECT_REQUEST_ATTRIBUTE, connect);
		HttpSession session = servletRequest.getSession(false);
		if (session != null) {
			attributes.put(HTTP_SESSION_ATTRIBUTE, session.getId());
			if (hasAccessor(session)) {
				attributes.put(CONTAINER_SESSION_ATTRIBUTE, session);
			}
		}
		return true;
	}

	private static void refused(ServerHttpRequest request, int status, String reason) {
		if (logger.isDebugEnabled()) {
			logger.debug("Handshake from " + request.getRemoteAddress() + " refused with " + status + ": " + reason);
		}
	}

	/**
	 * Release the limits' permit of a connection, if it holds one. Idempotent.
	 * @param attributes the handshake's (or the session's) attributes
	 * @since 0.1.0
	 */
	public static void releasePermit(Map<String, Object> attributes) {
		if (attributes.get(PERMIT_ATTRIBUTE) instanceof ConnectionLimits.Permit permit) {
			permit.release();
		}
	}

	private static boolean hasAccessor(HttpSession session) {
		try {
			// Null for a session that lives only within a request (Spring Session).
			return session.getAccessor() != null;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
		// A handshake that passed the interceptors can still fail to upgrade (a missing
		// Upgrade header, a failure in the container): then no session will ever release
		// the permit, so it is released here.
		if (exception != null || (response instanceof ServletServerHttpResponse servlet
				&& servlet.getServletResponse().getStatus() != HttpStatus.SWITCHING_PROTOCOLS.value())) {
			if (request instanceof ServletServerHttpRequest servletRequest && servletRequest.getServletRequest()
				.getAttribute(PERMIT_ATTRIBUTE) instanceof ConnectionLimits.Permit permit) {
				permit.release();
			}
		}
	}

	/**
	 * Holds back the {@code Set-Cookie} headers written while resolving the caller until
	 * {@link #issue()}, so that a refused handshake issues no anonymous cookie (nor mints
	 * an identity a flood of refused handshakes could use up memory with).
	 */
	private static final class CookieHoldingResponse extends HttpServletResponseWrapper {

		private final List<String> cookies = new ArrayList<>();

		private final List<Cookie> servletCookies = new ArrayList<>();

		CookieHoldingResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void addHeader(String name, String value) {
			if (HttpHeaders.SET_COOKIE.equalsIgnoreCase(name)) {
				this.cookies.add(value);
			}
			else {
				super.addHeader(name, value);
			}
		}

		@Override
		public void setHeader(String name, String value) {
			if (HttpHeaders.SET_COOKIE.equalsIgnoreCase(name)) {
				this.cookies.clear();
				this.cookies.add(value);
			}
			else {
				super.setHeader(name, value);
			}
		}

		@Override
		public void addCookie(Cookie cookie) {
			this.servletCookies.add(cookie);
		}

		void issue() {
			HttpServletResponse response = (HttpServletResponse) getResponse();
			this.cookies.forEach((cookie) -> response.addHeader(HttpHeaders.SET_COOKIE, cookie));
			this.servletCookies.forEach(response::addCookie);
		}

	}

}
