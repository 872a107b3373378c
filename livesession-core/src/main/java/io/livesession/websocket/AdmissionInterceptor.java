package io.livesession.websocket;

import java.util.Map;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses handshakes with 503 (Service Unavailable) and {@code Retry-After} while the
 * instance does not accept connections, for example while it drains on shutdown, so
 * clients go to another instance instead of connecting to one that is about to close
 * them.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class AdmissionInterceptor implements HandshakeInterceptor {

	private final BooleanSupplier accepting;

	/**
	 * Create an interceptor.
	 * @param accepting whether handshakes are accepted right now
	 */
	public AdmissionInterceptor(BooleanSupplier accepting) {
		this.accepting = accepting;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.accepting.getAsBoolean()) {
			return true;
		}
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set("Retry-After", "1");
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
