package io.livesession.event;

import java.util.Map;

import io.livesession.LiveConnection;

/**
 * A connection closed, for whatever reason: the close code says which.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveConnectionClosedEvent extends LiveConnectionEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_CONNECTION_CLOSED";

	private final int code;

	private final String reason;

	/**
	 * Create an event.
	 * @param connection the connection
	 * @param code the WebSocket close code
	 * @param reason the close reason text, may be empty
	 */
	public LiveConnectionClosedEvent(LiveConnection connection, int code, String reason) {
		super(connection, TYPE);
		this.code = code;
		this.reason = reason;
	}

	/**
	 * The WebSocket close code.
	 * @return the code
	 */
	public int getCode() {
		return this.code;
	}

	/**
	 * The close reason text, may be empty.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	@Override
	protected void addDetails(Map<String, Object> details) {
		super.addDetails(details);
		details.put("code", this.code);
		details.put("reason", this.reason);
	}

}
