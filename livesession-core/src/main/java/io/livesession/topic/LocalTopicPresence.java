package io.livesession.topic;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.livesession.LiveConnection;
import io.livesession.event.TopicPresenceEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * {@link TopicPresence} of one instance: counts of its own, changed as the listener is
 * told, so that each user's first join and last leave of a topic raise exactly one
 * {@link TopicPresenceEvent}, published in the order of the transitions and never while
 * an entry is locked (as {@link io.livesession.registry.LocalPresence} does for users).
 *
 * @author livesession
 */
final class LocalTopicPresence implements TopicPresence {

	private static final Log logger = LogFactory.getLog(LocalTopicPresence.class);

	private final ApplicationEventPublisher publisher;

	private final Map<String, AtomicLong> connections = new ConcurrentHashMap<>();

	/** Topic to user to that user's connection count in the topic. */
	private final Map<String, Map<String, Integer>> users = new ConcurrentHashMap<>();

	private final Queue<TopicPresenceEvent> events = new ConcurrentLinkedQueue<>();

	private final ReentrantLock publishing = new ReentrantLock();

	LocalTopicPresence(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public long getMemberCount(String topic) {
		AtomicLong count = this.connections.get(topic);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public Set<String> getMemberUserIds(String topic) {
		Map<String, Integer> counts = this.users.get(topic);
		return (counts != null) ? Set.copyOf(counts.keySet()) : Set.of();
	}

	@Override
	public void topicJoined(LiveConnection connection, String topic) {
		change(connection, topic, 1);
	}

	@Override
	public void topicLeft(LiveConnection connection, String topic) {
		change(connection, topic, -1);
	}

	private void change(LiveConnection connection, String topic, int delta) {
		this.connections.compute(topic, (key, count) -> {
			AtomicLong result = (count != null) ? count : new AtomicLong();
			return (result.addAndGet(delta) > 0) ? result : null;
		});
		String userId = connection.getUserId();
		if (userId != null) {
			this.users.compute(topic, (key, counts) -> {
				Map<String, Integer> result = (counts != null) ? counts : new ConcurrentHashMap<>();
				Integer previous = result.get(userId);
				int next = ((previous != null) ? previous : 0) + delta;
				if ((delta > 0 && next == 1) || (delta < 0 && next == 0)) {
					this.events.add(new TopicPresenceEvent(this, topic, userId, delta > 0));
				}
				if (next > 0) {
					result.put(userId, next);
				}
				else {
					result.remove(userId);
				}
				return result.isEmpty() ? null : result;
			});
		}
		publishQueued();
	}

	/** As LocalPresence: one thread publishes at a time, the others leave it theirs. */
	private void publishQueued() {
		while (!this.events.isEmpty() && this.publishing.tryLock()) {
			try {
				@Nullable TopicPresenceEvent event;
				while ((event = this.events.poll()) != null) {
					try {
						this.publisher.publishEvent(event);
					}
					catch (RuntimeException ex) {
						// A failing listener must not break the connection that joined.
						logger.warn("A listener of " + event + " failed", ex);
					}
				}
			}
			finally {
				this.publishing.unlock();
			}
		}
	}

}
