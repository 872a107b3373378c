package io.livesession;

import org.springframework.util.Assert;

/**
 * Answers an action with an {@code error} frame of the given code; the connection stays
 * open and the group state is left unchanged.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveActionException extends RuntimeException {

	/** Not JSON, wrong shape, or data that does not bind. */
	public static final String BAD_REQUEST = "bad_request";

	/** No handler for the action. */
	public static final String UNKNOWN_ACTION = "unknown_action";

	/** The action needs an authenticated user. */
	public static final String UNAUTHORIZED = "unauthorized";

	/** The user lacks the required authority. */
	public static final String FORBIDDEN = "forbidden";

	/** The connection exceeded its action rate. */
	public static final String RATE_LIMITED = "rate_limited";

	/** The group store cannot be reached. */
	public static final String UNAVAILABLE = "unavailable";

	/** The handler failed. */
	public static final String INTERNAL = "internal";

	private final String code;

	public LiveActionException(String code, String message) {
		super(message);
		Assert.hasText(code, "'code' must not be empty");
		this.code = code;
	}

	/**
	 * A {@code bad_request} error.
	 * @param message the message for the client
	 * @return the exception
	 */
	public static LiveActionException badRequest(String message) {
		return new LiveActionException(BAD_REQUEST, message);
	}

	/**
	 * The error code sent to the client.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

}
