package io.livesession;

import java.util.Map;

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

	public LiveConnectionRevokedEvent(LiveConnection connection, RevocationReason reason) {
		super(connection);
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
	public String getType() {
		return TYPE;
	}

	@Override
	public Map<String, Object> getDetails() {
		Map<String, Object> details = super.getDetails();
		details.put("reason", this.reason.name());
		return details;
	}

}
