package io.livesession.http;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.ConnectRequest;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;

/**
 * The caller of one HTTP action, seen by handlers as a connection that lives for the
 * request: never registered, and with no socket to send to or close.
 *
 * @author livesession
 */
final class HttpCaller implements LiveConnection {

	private final String id = "http-" + UUID.randomUUID();

	private final ConnectRequest request;

	private final @Nullable String httpSessionId;

	private final Instant openedAt = Instant.now();

	private final Map<String, Object> attributes;

	HttpCaller(ConnectRequest request, @Nullable String httpSessionId) {
		this.request = request;
		this.httpSessionId = httpSessionId;
		this.attributes = new ConcurrentHashMap<>(request.getAttributes());
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public @Nullable String getUserId() {
		return this.request.getUserId();
	}

	@Override
	public String getGroupId() {
		return this.request.getGroupId();
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return this.request.getPrincipal();
	}

	@Override
	public Set<String> getAuthorities() {
		return this.request.getAuthorities();
	}

	@Override
	public @Nullable String getHttpSessionId() {
		return this.httpSessionId;
	}

	@Override
	public Instant getOpenedAt() {
		return this.openedAt;
	}

	@Override
	public boolean isOpen() {
		return false;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (value != null) {
			this.attributes.put(name, value);
		}
		else {
			this.attributes.remove(name);
		}
	}

	@Override
	public @Nullable Object removeAttribute(String name) {
		return this.attributes.remove(name);
	}

	@Override
	public Set<String> getAttributeNames() {
		return Set.copyOf(this.attributes.keySet());
	}

	@Override
	public boolean send(Frame frame) {
		// No socket: the HTTP response carries the reply.
		return false;
	}

	@Override
	public void close(int code, String reason) {
	}

	@Override
	public String toString() {
		return "HTTP caller " + this.id;
	}

}
