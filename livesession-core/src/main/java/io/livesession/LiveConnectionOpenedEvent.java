package io.livesession;

/**
 * A connection was opened and greeted.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveConnectionOpenedEvent extends LiveConnectionEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_CONNECTION_OPENED";

	public LiveConnectionOpenedEvent(LiveConnection connection) {
		super(connection);
	}

	@Override
	public String getType() {
		return TYPE;
	}

}
