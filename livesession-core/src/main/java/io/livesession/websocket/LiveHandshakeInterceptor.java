package io.livesession.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.livesession.ConnectInterceptor;
import io.livesession.ConnectRequest;
import io.livesession.ConnectionRejectedException;
import io.livesession.GroupResolver;
import io.livesession.LiveConnectionRejectedEvent;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.LiveUser;
import io.livesession.identity.UserResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * Resolves identity and group at the handshake: 401 when authentication is required and
 * missing, the group from the {@link GroupResolver}, then the connect hooks, which may
 * reject with 403. Runs after spring-websocket's origin check. Each refusal is published
 * as a {@link LiveConnectionRejectedEvent}.
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

	private static final Log logger = LogFactory.getLog(LiveHandshakeInterceptor.class);

	private final AnonymousCookies cookies;

	private final UserResolver userResolver;

	private final GroupResolver groupResolver;

	private final List<ConnectInterceptor> connectInterceptors;

	private final boolean requireAuthentication;

	private final ApplicationEventPublisher events;

	public LiveHandshakeInterceptor(AnonymousCookies cookies, UserResolver userResolver, GroupResolver groupResolver,
			List<ConnectInterceptor> connectInterceptors, boolean requireAuthentication) {
		this(cookies, userResolver, groupResolver, connectInterceptors, requireAuthentication, (event) -> {
		});
	}

	public LiveHandshakeInterceptor(AnonymousCookies cookies, UserResolver userResolver, GroupResolver groupResolver,
			List<ConnectInterceptor> connectInterceptors, boolean requireAuthentication,
			ApplicationEventPublisher events) {
		this.events = events;
		this.cookies = cookies;
		this.userResolver = userResolver;
		this.groupResolver = groupResolver;
		this.connectInterceptors = List.copyOf(connectInterceptors);
		this.requireAuthentication = requireAuthentication;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws IOException {
		Assert.isInstanceOf(ServletServerHttpRequest.class, request, "livesession needs a Servlet container");
		HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
		LiveUser user = this.userResolver.resolve(servletRequest);
		if (user == null && this.requireAuthentication) {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			this.events.publishEvent(new LiveConnectionRejectedEvent(request, null, null,
					LiveConnectionRejectedEvent.Reason.UNAUTHENTICATED, null));
			return false;
		}
		String cookie = this.cookies.resolve(servletRequest,
				((ServletServerHttpResponse) response).getServletResponse());
		ConnectRequest connect = new ConnectRequest(request, (user != null) ? user.userId() : null,
				(user != null) ? user.principal() : null, (user != null) ? user.authorities() : Set.of(),
				AnonymousCookies.deriveId(cookie));
		String groupId = this.groupResolver.resolveGroup(connect);
		Assert.state(groupId != null && !groupId.isBlank(), "GroupResolver returned no group id");
		connect.setGroupId(groupId);
		try {
			for (ConnectInterceptor interceptor : this.connectInterceptors) {
				interceptor.beforeConnect(connect);
			}
		}
		catch (ConnectionRejectedException ex) {
			reject(response, ex.getMessage());
			this.events.publishEvent(new LiveConnectionRejectedEvent(request, connect.getUserId(),
					connect.getPrincipal(), LiveConnectionRejectedEvent.Reason.HOOK, ex.getMessage()));
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

	private static void reject(ServerHttpResponse response, @Nullable String reason) throws IOException {
		if (logger.isDebugEnabled()) {
			logger.debug("Connection rejected by a connect hook: " + reason);
		}
		response.setStatusCode(HttpStatus.FORBIDDEN);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		response.getBody().write(String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
