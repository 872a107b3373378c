package io.livesession.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.session.MapSession;
import org.springframework.session.Session;

/**
 * A group as {@link FencedRedisSessionRepository} reads and writes it: a
 * {@link MapSession} with the version it was read at and the attributes changed since.
 *
 * @author livesession
 */
final class GroupSession implements Session {

	private final MapSession delegate;

	private final Map<String, @Nullable Object> delta = new LinkedHashMap<>();

	/** The stored version when read, or {@code -1} for a session never saved. */
	private long readVersion;

	/** The stored hash as read (or as last committed). */
	private Map<String, String> entries;

	/** Whether it was read from the repository's kept copy, not from Redis. */
	private boolean kept;

	GroupSession(MapSession delegate, long readVersion, Map<String, String> entries, boolean kept) {
		this.delegate = delegate;
		this.readVersion = readVersion;
		this.entries = entries;
		this.kept = kept;
	}

	boolean isNew() {
		return this.readVersion == FencedRedisSessionRepository.MUST_BE_ABSENT;
	}

	/**
	 * The attributes changed since the session was read or committed, null if removed.
	 */
	Map<String, @Nullable Object> delta() {
		return this.delta;
	}

	long readVersion() {
		return this.readVersion;
	}

	Map<String, String> entries() {
		return this.entries;
	}

	boolean isKept() {
		return this.kept;
	}

	void committed(Map<String, String> entries) {
		this.entries = entries;
		this.kept = false;
		Object version = this.delegate.getAttribute(FencedRedisSessionRepository.VERSION_FIELD
			.substring(FencedRedisSessionRepository.ATTRIBUTE_PREFIX.length()));
		this.readVersion = (version instanceof Number number) ? number.longValue() : 0;
		this.delta.clear();
	}

	@Override
	public String getId() {
		return this.delegate.getId();
	}

	@Override
	public String changeSessionId() {
		throw new UnsupportedOperationException("A group keeps its id");
	}

	@Override
	public <T> @Nullable T getAttribute(String attributeName) {
		return this.delegate.getAttribute(attributeName);
	}

	@Override
	public Set<String> getAttributeNames() {
		return this.delegate.getAttributeNames();
	}

	@Override
	public void setAttribute(String attributeName, @Nullable Object attributeValue) {
		this.delegate.setAttribute(attributeName, attributeValue);
		this.delta.put(attributeName, attributeValue);
	}

	@Override
	public void removeAttribute(String attributeName) {
		setAttribute(attributeName, null);
	}

	@Override
	public Instant getCreationTime() {
		return this.delegate.getCreationTime();
	}

	@Override
	public void setLastAccessedTime(Instant lastAccessedTime) {
		this.delegate.setLastAccessedTime(lastAccessedTime);
	}

	@Override
	public Instant getLastAccessedTime() {
		return this.delegate.getLastAccessedTime();
	}

	@Override
	public void setMaxInactiveInterval(Duration interval) {
		this.delegate.setMaxInactiveInterval(interval);
	}

	@Override
	public Duration getMaxInactiveInterval() {
		return this.delegate.getMaxInactiveInterval();
	}

	@Override
	public boolean isExpired() {
		return this.delegate.isExpired();
	}

}
