package io.livesession.websocket;

import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The handshake handler of the live endpoint: upgrades through the Jakarta WebSocket
 * container of the server (Tomcat or Jetty alike, with
 * {@link StandardWebSocketUpgradeStrategy}), so that every session offers the
 * asynchronous {@code RemoteEndpoint.Async} that delivery writes through, and hides the
 * request's principal from the container (see {@link LiveRequestUpgradeStrategy}).
 * Applications may extend it, or replace it with a bean of this type, to customize the
 * upgrade.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveHandshakeHandler extends DefaultHandshakeHandler {

	/**
	 * A handler that upgrades through the container's Jakarta WebSocket API.
	 */
	public LiveHandshakeHandler() {
		this(new StandardWebSocketUpgradeStrategy());
	}

	/**
	 * A handler that upgrades through the given strategy, with the principal hidden from
	 * the container.
	 * @param strategy the container's upgrade strategy
	 */
	public LiveHandshakeHandler(RequestUpgradeStrategy strategy) {
		super(new LiveRequestUpgradeStrategy(strategy));
	}

}
