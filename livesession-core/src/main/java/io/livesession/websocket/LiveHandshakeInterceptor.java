package io.livesession.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.livesession.ConnectInterceptor;
import io.livesession.ConnectRequest;
import io.livesession.GroupResolver;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.ConnectResolver;
import io.livesession.identity.UserResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
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
 * rejects. Runs after spring-websocket's origin check.
 *
 * @author livesession
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

	private final ConnectResolver resolver;

	public LiveHandshakeInterceptor(AnonymousCookies cookies, UserResolver userResolver, GroupResolver groupResolver,
			List<ConnectInterceptor> connectInterceptors, boolean requireAuthentication) {
		this(new ConnectResolver(cookies, userResolver, groupResolver, connectInterceptors, requireAuthentication,
				(event) -> {
				}));
	}

	public LiveHandshakeInterceptor(AnonymousCookies cookies, UserResolver userResolver, GroupResolver groupResolver,
			List<ConnectInterceptor> connectInterceptors, boolean requireAuthentication,
			ApplicationEventPublisher events) {
		this(new ConnectResolver(cookies, userResolver, groupResolver, connectInterceptors, requireAuthentication,
				events));
	}

	public LiveHandshakeInterceptor(ConnectResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		Assert.isInstanceOf(ServletServerHttpRequest.class, request, "livesession needs a Servlet container");
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		ConnectResolver.Resolution resolution = this.resolver.resolve(request, servletRequest,
				((ServletServerHttpResponse) response).getServletResponse());
		ConnectRequest connect = resolution.request();
		if (connect == null) {
			response.setStatusCode(resolution.status());
			if (resolution.status() == HttpStatus.FORBIDDEN) {
				response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
				response.getBody().write(resolution.reason().getBytes(StandardCharsets.UTF_8));
			}
			return false;
		}
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
	}

}
