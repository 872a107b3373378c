package io.livesession.event;

import java.util.Map;

import io.livesession.LiveConnection;

/**
 * A connection was closed with 1008 {@code revoked}: logout, the end of its HTTP session,
 * a login in its browser, or the application. Published once per connection, on the
 * instance where it was open.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveConnectionRevokedEvent extends LiveConnectionEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_CONNECTION_REVOKED";

	private final RevocationReason reason;

	/**
	 * Create an event.
	 * @param connection the revoked connection
	 * @param reason why it was revoked
	 */
	public LiveConnectionRevokedEvent(LiveConnection connection, RevocationReason reason) {
		super(connection, TYPE);
		this.reason = reason;
	}

	/**
	 * Why it was revoked.
	 * @return the reason
	 */
	public RevocationReason getReason() {
		return this.reason;
	}

	@Override
	protected void addDetails(Map<String, Object> details) {
		super.addDetails(details);
		details.put("reason", this.reason.name());
	}

}
