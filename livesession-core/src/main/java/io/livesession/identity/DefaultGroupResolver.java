package io.livesession.identity;

import io.livesession.ConnectRequest;
import io.livesession.GroupResolver;

/**
 * One group per authenticated user ({@code user:<name>}) and one per anonymous browser
 * ({@code anon:<id derived from its cookie>}). The prefixes keep the namespaces apart, so
 * an anonymous cookie can never address a user's group.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class DefaultGroupResolver implements GroupResolver {

	/** Prefix of user groups. */
	public static final String USER_PREFIX = "user:";

	/** Prefix of anonymous groups. */
	public static final String ANONYMOUS_PREFIX = "anon:";

	@Override
	public String resolveGroup(ConnectRequest request) {
		String userId = request.getUserId();
		return (userId != null) ? USER_PREFIX + userId : ANONYMOUS_PREFIX + request.getAnonymousId();
	}

}
