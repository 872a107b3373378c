package io.livesession.delivery;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.topic.TopicMember;
import org.jspecify.annotations.Nullable;

/**
 * The identity and attributes of a connection, apart from its delivery: the base of the
 * delivered connections and of the HTTP action caller.
 *
 * @author livesession
 * @since 0.1.0
 */
public abstract class ConnectionBase implements LiveConnection, TopicMember {

	private final ConnectionInfo info;

	private volatile @Nullable Map<String, Object> attributes;

	/**
	 * The topics this connection is in; guarded by itself (see
	 * {@link #topicMemberships()}).
	 */
	private final Set<String> topicMemberships = new LinkedHashSet<>();

	private volatile @Nullable Topics topics;

	/**
	 * Create a connection.
	 * @param info its identity
	 */
	protected ConnectionBase(ConnectionInfo info) {
		this.info = info;
	}

	@Override
	public String getId() {
		return this.info.id();
	}

	@Override
	public @Nullable String getUserId() {
		return this.info.userId();
	}

	@Override
	public String getGroupId() {
		return this.info.groupId();
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return this.info.principal();
	}

	@Override
	public Set<String> getAuthorities() {
		return this.info.authorities();
	}

	@Override
	public @Nullable String getHttpSessionId() {
		return this.info.httpSessionId();
	}

	@Override
	public Instant getOpenedAt() {
		return this.info.openedAt();
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		Map<String, Object> values = this.attributes;
		return (values != null) ? values.get(name) : null;
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (value == null) {
			removeAttribute(name);
			return;
		}
		attributes().put(name, value);
	}

	@Override
	public @Nullable Object removeAttribute(String name) {
		Map<String, Object> values = this.attributes;
		return (values != null) ? values.remove(name) : null;
	}

	@Override
	public Set<String> getAttributeNames() {
		Map<String, Object> values = this.attributes;
		return (values != null) ? Set.copyOf(values.keySet()) : Set.of();
	}

	private Map<String, Object> attributes() {
		Map<String, Object> values = this.attributes;
		if (values == null) {
			synchronized (this) {
				values = this.attributes;
				if (values == null) {
					values = new ConcurrentHashMap<>(4);
					this.attributes = values;
				}
			}
		}
		return values;
	}

	@Override
	public final void bindTopics(Topics topics) {
		this.topics = topics;
	}

	@Override
	public final @Nullable Topics getBoundTopics() {
		return this.topics;
	}

	@Override
	public final Set<String> topicMemberships() {
		return this.topicMemberships;
	}

	@Override
	public boolean join(String topic) {
		return boundTopics().join(this, topic);
	}

	@Override
	public boolean leave(String topic) {
		Topics bound = this.topics;
		return bound != null && bound.leave(this, topic);
	}

	@Override
	public Set<String> getTopics() {
		synchronized (this.topicMemberships) {
			return Set.copyOf(this.topicMemberships);
		}
	}

	private Topics boundTopics() {
		Topics bound = this.topics;
		if (bound == null) {
			throw new IllegalStateException("Connection " + getId() + " is not registered: it cannot join topics yet");
		}
		return bound;
	}

	@Override
	public String toString() {
		return "LiveConnection[" + getId() + ", group " + getGroupId() + ", user " + getUserId() + "]";
	}

}
