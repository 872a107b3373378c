package io.livesession.registry;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;

/**
 * Told when a connection joins or leaves this instance's {@link ConnectionRegistry}: the
 * endpoint calls every listener after a connection was registered and after it was
 * unregistered, once each per connection. Presence builds on it.
 *
 * <p>
 * Called on the transport's threads, concurrently for different connections: an
 * implementation must be thread-safe, return quickly and never block on the network,
 * except for a bounded wait that must precede the connection's {@code hello}: the
 * endpoint greets a connection only after every listener returned (the Redis delivery
 * channel waits there, at most its command timeout, for the subscription of the
 * connection's user and group).
 *
 * @author livesession
 * @since 0.1.0
 */
public interface RegistryListener {

	/**
	 * A connection was registered.
	 * @param connection the connection
	 */
	void connectionRegistered(LiveConnection connection);

	/**
	 * A registered connection was unregistered.
	 * @param connection the connection
	 */
	void connectionUnregistered(LiveConnection connection);

}
