package io.livesession.registry;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.Presence;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * {@link Presence} of one instance: counts are read from its registry, and as a
 * {@link RegistryListener} it publishes {@link UserConnectedEvent},
 * {@link UserDisconnectedEvent}, {@link GroupOpenedEvent} and {@link GroupClosedEvent} on
 * the first and last connection of a user or group on this instance.
 *
 * <p>
 * Events are published on the thread that registered or unregistered a connection (or on
 * one racing with it), in the order of the transitions, never while a lock of the
 * registry is held.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LocalPresence implements Presence, RegistryListener {

	private static final Log logger = LogFactory.getLog(LocalPresence.class);

	private final ConnectionRegistry registry;

	private final ApplicationEventPublisher publisher;

	/*
	 * Counts of their own rather than the registry's index sizes: the registry changes
	 * before the listener is told, so only a count changed by the listener itself gives
	 * each first and last connection exactly once.
	 */
	private final Map<String, Integer> users = new ConcurrentHashMap<>();

	private final Map<String, Integer> groups = new ConcurrentHashMap<>();

	private final Queue<ApplicationEvent> events = new ConcurrentLinkedQueue<>();

	private final ReentrantLock publishing = new ReentrantLock();

	/**
	 * Create the presence of one instance.
	 * @param registry the instance's registry
	 * @param publisher where presence events go
	 */
	public LocalPresence(ConnectionRegistry registry, ApplicationEventPublisher publisher) {
		this.registry = registry;
		this.publisher = publisher;
	}

	@Override
	public long getConnectionCount() {
		return this.registry.getConnectionCount();
	}

	@Override
	public long getUserCount() {
		return this.registry.getUserCount();
	}

	@Override
	public long getGroupCount() {
		return this.registry.getGroupCount();
	}

	@Override
	public boolean isOnline(String userId) {
		return !this.registry.findByUser(userId).isEmpty();
	}

	@Override
	public Set<String> getOnlineUserIds() {
		return Set.copyOf(this.registry.getUserIds());
	}

	@Override
	public void connectionRegistered(LiveConnection connection) {
		String userId = connection.getUserId();
		if (userId != null) {
			change(this.users, userId, 1, new UserConnectedEvent(this, userId));
		}
		change(this.groups, connection.getGroupId(), 1, new GroupOpenedEvent(this, connection.getGroupId()));
		publishQueued();
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		String userId = connection.getUserId();
		if (userId != null) {
			change(this.users, userId, -1, new UserDisconnectedEvent(this, userId));
		}
		change(this.groups, connection.getGroupId(), -1, new GroupClosedEvent(this, connection.getGroupId()));
		publishQueued();
	}

	/**
	 * Change a count by one; on a 0→1 or 1→0 transition queue the event while the count's
	 * entry is locked, so events of one id are queued in the order of their transitions.
	 */
	private void change(Map<String, Integer> counts, String id, int delta, ApplicationEvent transition) {
		counts.compute(id, (key, count) -> {
			int next = ((count != null) ? count : 0) + delta;
			if ((delta > 0 && next == 1) || (delta < 0 && next == 0)) {
				this.events.add(transition);
			}
			return (next > 0) ? next : null;
		});
	}

	/**
	 * Publish queued events one thread at a time. A thread that finds another publishing
	 * leaves its events to it: the publisher checks the queue again after letting go, so
	 * no event is left behind.
	 */
	private void publishQueued() {
		while (!this.events.isEmpty() && this.publishing.tryLock()) {
			try {
				@Nullable ApplicationEvent event;
				while ((event = this.events.poll()) != null) {
					publish(event);
				}
			}
			finally {
				this.publishing.unlock();
			}
		}
	}

	private void publish(ApplicationEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// A failing listener must not break the connection that caused the event.
			logger.warn("A listener of " + event + " failed", ex);
		}
	}

}
