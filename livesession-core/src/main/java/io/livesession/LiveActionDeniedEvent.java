package io.livesession;

import java.util.Map;

/**
 * An action was refused with {@code unauthorized}, {@code forbidden} or
 * {@code rate_limited}.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveActionDeniedEvent extends LiveConnectionEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_ACTION_DENIED";

	private final String action;

	private final String code;

	public LiveActionDeniedEvent(LiveConnection connection, String action, String code) {
		super(connection);
		this.action = action;
		this.code = code;
	}

	/**
	 * Whether an error code is one this event reports.
	 * @param code the error code
	 * @return {@code true} for {@code unauthorized}, {@code forbidden} and
	 * {@code rate_limited}
	 */
	public static boolean isDenial(String code) {
		return LiveActionException.UNAUTHORIZED.equals(code) || LiveActionException.FORBIDDEN.equals(code)
				|| LiveActionException.RATE_LIMITED.equals(code);
	}

	/**
	 * The action name.
	 * @return the name
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * The error code the client received.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

	@Override
	public String getType() {
		return TYPE;
	}

	@Override
	public Map<String, Object> getDetails() {
		Map<String, Object> details = super.getDetails();
		details.put("action", this.action);
		details.put("code", this.code);
		return details;
	}

}
