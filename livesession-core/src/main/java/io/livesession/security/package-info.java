/**
 * Revocation and HTTP session tracking: closing connections with 1008 on logout, at the
 * end of their HTTP session, on login and through the {@link io.livesession.Revocations}
 * API, on every instance; keeping the HTTP sessions of open connections alive.
 */
@NullMarked
package io.livesession.security;

import org.jspecify.annotations.NullMarked;
