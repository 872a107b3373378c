package io.livesession.event;

import io.livesession.LiveConnection;

/**
 * A connection was opened and greeted.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveConnectionOpenedEvent extends LiveConnectionEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_CONNECTION_OPENED";

	/**
	 * Create an event.
	 * @param connection the connection
	 */
	public LiveConnectionOpenedEvent(LiveConnection connection) {
		super(connection, TYPE);
	}

}
