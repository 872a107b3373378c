package io.livesession;

/**
 * Disconnects connections on every instance of the cluster: each matching connection is
 * closed with 1008 and the reason {@code revoked}, and a
 * {@link LiveConnectionRevokedEvent} is published where it was open. The browser client
 * does not reconnect after 1008. Logout, the end of an HTTP session and a login use the
 * same mechanism.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface Revocations {

	/**
	 * Disconnect every connection of a user, for example to kick them.
	 * @param userId the user id
	 */
	void revokeUser(String userId);

	/**
	 * Disconnect every authenticated connection whose handshake carried the given HTTP
	 * session.
	 * @param httpSessionId the HTTP session id
	 */
	void revokeHttpSession(String httpSessionId);

	/**
	 * Disconnect one connection.
	 * @param connectionId the connection id
	 */
	void revokeConnection(String connectionId);

}
