package io.livesession.revocation;

import io.livesession.event.RevocationReason;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Which connections to revoke and why; plain data, so it can travel to other instances.
 *
 * @param kind what {@code id} identifies
 * @param id the user id, HTTP session id, connection id or browser id
 * @param reason why
 * @param exceptUserId a user whose connections are spared, or {@code null}: a login
 * closes the browser's connections except those of the user who logged in
 * @author livesession
 * @since 0.1.0
 */
public record Revocation(Kind kind, String id, RevocationReason reason, @Nullable String exceptUserId) {

	public Revocation {
		Assert.notNull(kind, "'kind' must not be null");
		Assert.hasText(id, "'id' must not be empty");
		Assert.notNull(reason, "'reason' must not be null");
	}

	/**
	 * A revocation that spares no one.
	 * @param kind what {@code id} identifies
	 * @param id the id
	 * @param reason why
	 */
	public Revocation(Kind kind, String id, RevocationReason reason) {
		this(kind, id, reason, null);
	}

	/**
	 * What a revocation's id identifies.
	 *
	 * @since 0.1.0
	 */
	public enum Kind {

		/**
		 * Every connection of a user.
		 */
		USER,

		/**
		 * Every authenticated connection opened with an HTTP session.
		 */
		HTTP_SESSION,

		/**
		 * One connection.
		 */
		CONNECTION,

		/**
		 * Every connection opened from a browser, identified by the id derived from its
		 * anonymous cookie, whether anonymous or authenticated (except those of
		 * {@code exceptUserId}).
		 */
		BROWSER

	}

}
