package io.livesession;

/**
 * A connect hook: sees the handshake request and the resolved identity before the
 * connection is registered. It may set connection-scoped values through
 * {@link ConnectRequest#getAttributes()}, or reject the connection by throwing
 * {@link ConnectionRejectedException} (HTTP 403, nothing registered). Beans of this type
 * run in {@link org.springframework.core.Ordered order}.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConnectInterceptor {

	/**
	 * Inspect a connection about to be opened.
	 * @param request the handshake and its resolved identity
	 * @throws ConnectionRejectedException to refuse the connection
	 */
	void beforeConnect(ConnectRequest request) throws ConnectionRejectedException;

}
