package io.livesession;

/**
 * Thrown by a {@link ConnectInterceptor} to refuse a connection: the handshake is
 * answered with HTTP 403 and the message as the reason.
 *
 * @author livesession
 * @since 0.1.0
 */
public class ConnectionRejectedException extends RuntimeException {

	public ConnectionRejectedException(String reason) {
		super(reason);
	}

}
