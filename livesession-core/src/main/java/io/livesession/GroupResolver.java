package io.livesession;

/**
 * Maps the identity resolved at the handshake to a session group id. The default puts an
 * anonymous browser (its cookie) in one group and an authenticated user in another; an
 * application bean of this type replaces it (a workspace from the URL, a tenant, ...).
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface GroupResolver {

	/**
	 * The group for a connection being opened.
	 * @param request the handshake and its resolved identity
	 * @return a non-empty group id
	 */
	String resolveGroup(ConnectRequest request);

}
