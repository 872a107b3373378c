package io.livesession.event;

import java.util.Map;

import io.livesession.LiveActionException;
import io.livesession.LiveConnection;

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

	/**
	 * Create an event.
	 * @param connection the connection that sent the action
	 * @param action the action name
	 * @param code the error code the client received
	 */
	public LiveActionDeniedEvent(LiveConnection connection, String action, String code) {
		super(connection, TYPE);
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
	protected void addDetails(Map<String, Object> details) {
		super.addDetails(details);
		details.put("action", this.action);
		details.put("code", this.code);
	}

}
