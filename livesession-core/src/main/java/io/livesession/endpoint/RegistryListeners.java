package io.livesession.endpoint;

import java.util.List;
import java.util.function.BiConsumer;

import io.livesession.delivery.ManagedConnection;
import io.livesession.registry.RegistryListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells every {@link RegistryListener}, in order, that a connection was registered or
 * unregistered. A listener's failure is logged: it must not fail the connection, nor keep
 * the others from being told.
 *
 * @author livesession
 */
final class RegistryListeners {

	// Logged under the endpoint's name, as before the split: log settings name it.
	private static final Log logger = LogFactory.getLog(LiveEndpoint.class);

	private final List<RegistryListener> listeners;

	RegistryListeners(List<RegistryListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	void registered(ManagedConnection connection) {
		tell(connection, RegistryListener::connectionRegistered);
	}

	void unregistered(ManagedConnection connection) {
		tell(connection, RegistryListener::connectionUnregistered);
	}

	private void tell(ManagedConnection connection, BiConsumer<RegistryListener, ManagedConnection> call) {
		for (RegistryListener listener : this.listeners) {
			try {
				call.accept(listener, connection);
			}
			catch (RuntimeException ex) {
				failed(listener, connection, ex);
			}
		}
	}

	private static void failed(RegistryListener listener, ManagedConnection connection, RuntimeException ex) {
		logger.error("Registry listener " + listener + " failed for connection " + connection.getId(), ex);
	}

}
