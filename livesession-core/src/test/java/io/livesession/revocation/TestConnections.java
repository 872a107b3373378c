package io.livesession.revocation;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.registry.ConnectionRegistries;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * Real connections on recording transports, registered and bound as the WebSocket handler
 * does.
 */
final class TestConnections {

	final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	final ConnectionBindings bindings = new ConnectionBindings();

	final Map<String, List<String>> closes = new ConcurrentHashMap<>();

	ManagedConnection open(String id, @Nullable String userId, @Nullable String httpSessionId, String browserId) {
		return open(id, userId, httpSessionId, browserId, null);
	}

	ManagedConnection open(String id, @Nullable String userId, @Nullable String httpSessionId, String browserId,
			@Nullable HttpSession containerSession) {
		List<String> closed = new CopyOnWriteArrayList<>();
		this.closes.put(id, closed);
		TransportSession transport = new TransportSession() {

			private volatile boolean open = true;

			@Override
			public void send(Frame frame) {
			}

			@Override
			public void close(int code, String reason) {
				closed.add(code + " " + reason);
				this.open = false;
			}

			@Override
			public boolean isOpen() {
				return this.open;
			}

		};
		Principal principal = (userId != null) ? () -> userId : null;
		ManagedConnection connection = Delivery
			.connection(new ConnectionInfo(id, userId, (userId != null) ? "user:" + userId : "anon:" + browserId,
					principal, Set.of(), httpSessionId, Instant.now()), transport, Runnable::run, 1024 * 1024);
		this.registry.register(connection);
		connection.open(Frame.text("{\"type\":\"hello\"}"), 0);
		this.bindings.bind(connection, browserId, containerSession);
		return connection;
	}

	List<String> closesOf(String id) {
		return this.closes.get(id);
	}

}
