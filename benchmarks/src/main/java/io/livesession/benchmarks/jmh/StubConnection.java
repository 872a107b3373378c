package io.livesession.benchmarks.jmh;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

import io.livesession.Frame;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;

/**
 * A connection that only counts what it is sent, so the microbenchmarks measure
 * livesession's lookup and matching, not a network.
 *
 * @author livesession
 */
final class StubConnection implements LiveConnection {

	private final String id;

	private final @Nullable String userId;

	private final String groupId;

	long sent;

	StubConnection(String id, @Nullable String userId, String groupId) {
		this.id = id;
		this.userId = userId;
		this.groupId = groupId;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public @Nullable String getUserId() {
		return this.userId;
	}

	@Override
	public String getGroupId() {
		return this.groupId;
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return null;
	}

	@Override
	public Set<String> getAuthorities() {
		return Set.of();
	}

	@Override
	public @Nullable String getHttpSessionId() {
		return null;
	}

	@Override
	public Instant getOpenedAt() {
		return Instant.EPOCH;
	}

	@Override
	public boolean isOpen() {
		return true;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return null;
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
	}

	@Override
	public @Nullable Object removeAttribute(String name) {
		return null;
	}

	@Override
	public Set<String> getAttributeNames() {
		return Set.of();
	}

	@Override
	public boolean send(Frame frame) {
		this.sent++;
		return true;
	}

	@Override
	public void close(int code, String reason) {
	}

}
