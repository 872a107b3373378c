package io.livesession;

import java.util.Map;

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

	public LiveConnectionClosedEvent(LiveConnection connection, int code, String reason) {
		super(connection);
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
	public String getType() {
		return TYPE;
	}

	@Override
	public Map<String, Object> getDetails() {
		Map<String, Object> details = super.getDetails();
		details.put("code", this.code);
		details.put("reason", this.reason);
		return details;
	}

}
