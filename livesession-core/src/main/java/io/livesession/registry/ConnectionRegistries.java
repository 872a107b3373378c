package io.livesession.registry;

import io.livesession.ConnectionRegistry;
import io.livesession.Presence;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Factory methods for {@link ConnectionRegistry} implementations.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ConnectionRegistries {

	private ConnectionRegistries() {
	}

	/**
	 * A registry of this instance's connections, in memory.
	 * @return a new registry
	 */
	public static ConnectionRegistry inMemory() {
		return new InMemoryConnectionRegistry();
	}

	/**
	 * Presence of one instance, read from its registry. It publishes no events: use
	 * {@link #localPresence(ConnectionRegistry, ApplicationEventPublisher)} for them.
	 * @param registry the registry
	 * @return the presence
	 */
	public static Presence localPresence(ConnectionRegistry registry) {
		return new LocalPresence(registry, (event) -> {
		});
	}

	/**
	 * Presence of one instance, read from its registry, that publishes presence events
	 * once the endpoint tells it about connections as a {@link RegistryListener}.
	 * @param registry the registry
	 * @param publisher where presence events go
	 * @return the presence
	 */
	public static LocalPresence localPresence(ConnectionRegistry registry, ApplicationEventPublisher publisher) {
		return new LocalPresence(registry, publisher);
	}

}
