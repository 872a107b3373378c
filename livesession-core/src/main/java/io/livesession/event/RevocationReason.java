package io.livesession.event;

/**
 * Why a connection was revoked.
 *
 * @author livesession
 * @see LiveConnectionRevokedEvent
 * @since 0.1.0
 */
public enum RevocationReason {

	/**
	 * The user logged out of the HTTP session the connection was opened with.
	 */
	LOGOUT,

	/**
	 * The HTTP session the connection was opened with expired, was invalidated or was
	 * deleted.
	 */
	HTTP_SESSION_ENDED,

	/**
	 * Someone logged in with the browser the connection was opened from, anonymously or
	 * as another user: the connection belongs to the browser's identity before the login.
	 */
	LOGIN,

	/**
	 * The application disconnected it through
	 * {@link io.livesession.revocation.Revocations}.
	 */
	APPLICATION,

	/**
	 * The credentials it was opened with expired: the {@code exp} of a bearer token.
	 */
	CREDENTIALS_EXPIRED

}
