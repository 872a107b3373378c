package io.livesession.websocket;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;

/**
 * Upgrades through the container's own strategy, but hides the request's user principal
 * from the container. A Jakarta WebSocket container closes a WebSocket opened under an
 * authenticated HTTP session when that session ends, with 1008 and a reason text of its
 * own; livesession does that itself, with the protocol's
 * {@link io.livesession.delivery.CloseCode#REVOKED revoked} and the right audit reason
 * (logout, session end), so the container must not race it. The principal still reaches
 * livesession and spring-websocket through the handshake.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveRequestUpgradeStrategy implements RequestUpgradeStrategy {

	private final RequestUpgradeStrategy delegate;

	public LiveRequestUpgradeStrategy(RequestUpgradeStrategy delegate) {
		this.delegate = delegate;
	}

	@Override
	public String[] getSupportedVersions() {
		return this.delegate.getSupportedVersions();
	}

	@Override
	public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
		return this.delegate.getSupportedExtensions(request);
	}

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		ServerHttpRequest upgraded = request;
		if (request instanceof ServletServerHttpRequest servlet) {
			upgraded = new ServletServerHttpRequest(new PrincipalHidingRequest(servlet.getServletRequest()));
		}
		this.delegate.upgrade(upgraded, response, selectedProtocol, selectedExtensions, user, wsHandler, attributes);
	}

	private static final class PrincipalHidingRequest extends HttpServletRequestWrapper {

		PrincipalHidingRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable Principal getUserPrincipal() {
			return null;
		}

	}

}
