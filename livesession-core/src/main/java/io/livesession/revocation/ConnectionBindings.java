package io.livesession.revocation;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.livesession.LiveConnection;
import io.livesession.registry.SetIndex;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * What ties this instance's open connections to the browser and the HTTP session they
 * were opened from, indexed for revocation. Only an authenticated connection is tied to
 * its HTTP session: an anonymous one is identified by its browser cookie, so the end of
 * an HTTP session does not concern it.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ConnectionBindings {

	private final Map<String, Binding> byConnection = new ConcurrentHashMap<>();

	private final SetIndex<Binding> byHttpSession = new SetIndex<>();

	private final SetIndex<Binding> byBrowser = new SetIndex<>();

	/**
	 * Bind an open connection.
	 * @param connection the connection
	 * @param browserId the id derived from the handshake's anonymous cookie
	 * @param containerSession the servlet container's own HTTP session of the handshake,
	 * if it has one that can be accessed outside a request (see
	 * {@link HttpSession#getAccessor()}); {@code null} for Spring Session's sessions
	 */
	public void bind(LiveConnection connection, String browserId, @Nullable HttpSession containerSession) {
		Assert.hasText(browserId, "'browserId' must not be empty");
		String httpSessionId = (connection.getUserId() != null) ? connection.getHttpSessionId() : null;
		Binding binding = new Binding(connection, browserId, httpSessionId,
				(httpSessionId != null) ? containerSession : null);
		Binding previous = this.byConnection.putIfAbsent(connection.getId(), binding);
		Assert.state(previous == null, () -> "Connection " + connection.getId() + " is bound already");
		this.byBrowser.add(browserId, binding);
		if (httpSessionId != null) {
			this.byHttpSession.add(httpSessionId, binding);
		}
	}

	/**
	 * Forget a closed connection; a no-op if it is not bound.
	 * @param connection the connection
	 */
	public void unbind(LiveConnection connection) {
		Binding binding = this.byConnection.get(connection.getId());
		if (binding == null || binding.connection != connection
				|| !this.byConnection.remove(connection.getId(), binding)) {
			return;
		}
		this.byBrowser.remove(binding.browserId, binding);
		if (binding.httpSessionId != null) {
			this.byHttpSession.remove(binding.httpSessionId, binding);
		}
	}

	/**
	 * The authenticated connections opened with an HTTP session.
	 * @param httpSessionId the HTTP session id
	 * @return a snapshot
	 */
	public List<LiveConnection> findByHttpSession(String httpSessionId) {
		return connections(this.byHttpSession.get(httpSessionId));
	}

	/**
	 * The connections opened from a browser.
	 * @param browserId the id derived from the browser's anonymous cookie
	 * @return a snapshot
	 */
	public List<LiveConnection> findByBrowser(String browserId) {
		return connections(this.byBrowser.get(browserId));
	}

	private static List<LiveConnection> connections(@Nullable Set<Binding> bindings) {
		return (bindings != null) ? bindings.stream().map((binding) -> binding.connection).toList() : List.of();
	}

	/**
	 * The HTTP sessions that authenticated connections were opened with.
	 * @return a read-only view
	 */
	public Collection<String> getHttpSessionIds() {
		return this.byHttpSession.keys();
	}

	/**
	 * The servlet container's session of an HTTP session id, if a connection holds one.
	 * @param httpSessionId the id
	 * @return the session or {@code null}
	 */
	public @Nullable HttpSession getContainerSession(String httpSessionId) {
		Set<Binding> bindings = this.byHttpSession.get(httpSessionId);
		if (bindings != null) {
			for (Binding binding : bindings) {
				if (binding.containerSession != null) {
					return binding.containerSession;
				}
			}
		}
		return null;
	}

	/**
	 * Mark a connection revoked, so that it is revoked (and reported) only once.
	 * @param connection the connection
	 * @return {@code true} the first time for an open connection
	 */
	boolean markRevoked(LiveConnection connection) {
		if (!connection.isOpen()) {
			return false;
		}
		Binding binding = this.byConnection.get(connection.getId());
		return binding == null || binding.revoked.compareAndSet(false, true);
	}

	/**
	 * Number of bound connections.
	 * @return the count
	 */
	public int size() {
		return this.byConnection.size();
	}

	private static final class Binding {

		private final LiveConnection connection;

		private final String browserId;

		private final @Nullable String httpSessionId;

		private final @Nullable HttpSession containerSession;

		private final AtomicBoolean revoked = new AtomicBoolean();

		Binding(LiveConnection connection, String browserId, @Nullable String httpSessionId,
				@Nullable HttpSession containerSession) {
			this.connection = connection;
			this.browserId = browserId;
			this.httpSessionId = httpSessionId;
			this.containerSession = containerSession;
		}

	}

}
