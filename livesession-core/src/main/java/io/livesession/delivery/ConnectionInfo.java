package io.livesession.delivery;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The identity of a connection, fixed at the handshake.
 *
 * @param id the connection id
 * @param userId the user id, or {@code null} when anonymous
 * @param groupId the group id
 * @param principal the principal, or {@code null} when anonymous
 * @param authorities the authority names
 * @param httpSessionId the HTTP session id of the handshake, if any
 * @param openedAt when the connection opened
 * @author livesession
 * @since 0.1.0
 */
public record ConnectionInfo(String id, @Nullable String userId, String groupId, @Nullable Principal principal,
		Set<String> authorities, @Nullable String httpSessionId, Instant openedAt) {

	public ConnectionInfo {
		authorities = Set.copyOf(authorities);
	}

}
