package io.livesession.identity;

import java.security.Principal;
import java.util.Set;

/**
 * An authenticated user at the handshake.
 *
 * @param userId the user id (the principal's name)
 * @param principal the principal
 * @param authorities the authority names
 * @author livesession
 * @since 0.1.0
 */
public record LiveUser(String userId, Principal principal, Set<String> authorities) {

	public LiveUser {
		authorities = Set.copyOf(authorities);
	}

}
