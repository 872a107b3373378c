package io.livesession.topic;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.livesession.ConnectionRegistry;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Factory methods for the topic components of one instance.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveTopics {

	/** The default of {@code livesession.topics.max-per-connection}. */
	public static final int DEFAULT_MAX_PER_CONNECTION = 64;

	/** The default of {@code livesession.topics.history-size}. */
	public static final int DEFAULT_HISTORY_SIZE = 100;

	/** The default of {@code livesession.topics.history-ttl}. */
	public static final Duration DEFAULT_HISTORY_TTL = Duration.ofMinutes(5);

	private LiveTopics() {
	}

	/**
	 * The topics of this instance, in memory. Register the index as a
	 * {@link io.livesession.registry.RegistryListener} of the endpoint: it lets
	 * registered connections join and makes closed ones leave.
	 * @param registry the instance's registry, to find the connections a target matches
	 * @param presence answers the member counts and user ids
	 * @param listeners told after each join and leave, in order (the presence among them
	 * when it is to count)
	 * @param maxPerConnection how many topics a connection may be in
	 * @return the index
	 */
	public static TopicIndex inMemory(ConnectionRegistry registry, TopicPresence presence,
			List<TopicListener> listeners, int maxPerConnection) {
		return new InMemoryTopicIndex(registry, () -> presence, () -> listeners, maxPerConnection);
	}

	/**
	 * The topics of this instance, in memory, with the presence and listeners looked up
	 * once, on the first join: beans that need the topics (a delivery channel) can be
	 * listeners too.
	 * @param registry the instance's registry, to find the connections a target matches
	 * @param presence answers the member counts and user ids
	 * @param listeners told after each join and leave, in order
	 * @param maxPerConnection how many topics a connection may be in
	 * @return the index
	 */
	public static TopicIndex inMemory(ConnectionRegistry registry, Supplier<? extends TopicPresence> presence,
			Supplier<? extends List<TopicListener>> listeners, int maxPerConnection) {
		return new InMemoryTopicIndex(registry, presence, listeners, maxPerConnection);
	}

	/**
	 * The history of recoverable topics of this instance, in memory.
	 * @param recoverable the patterns of the recoverable topics, {@code *} matching any
	 * characters
	 * @param historySize how many publications each topic keeps
	 * @param historyTtl how long a topic's history lasts after its last publication
	 * @return the log
	 */
	public static TopicLog inMemoryLog(List<String> recoverable, int historySize, Duration historyTtl) {
		return new InMemoryTopicLog(recoverable, historySize, historyTtl, Clock.systemUTC());
	}

	/**
	 * Presence in the topics of this instance that publishes
	 * {@link io.livesession.event.TopicPresenceEvent}s.
	 * @param publisher where the events go
	 * @return the presence
	 */
	public static TopicPresence localPresence(ApplicationEventPublisher publisher) {
		return new LocalTopicPresence(publisher);
	}

}
