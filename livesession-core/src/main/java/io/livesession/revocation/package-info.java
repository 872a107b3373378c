/**
 * Revocation: closing connections with 1008 {@code revoked} on logout, at the end of
 * their HTTP session, on login, when their credentials expire and through the
 * {@link io.livesession.revocation.Revocations} API, on every instance; erasing a user
 * ({@link io.livesession.revocation.UserErasure}); keeping the HTTP sessions of open
 * connections alive. {@code Revocations} and {@code UserErasure} are the application's
 * API, the other types are wired by the auto-configuration.
 */
@NullMarked
package io.livesession.revocation;

import org.jspecify.annotations.NullMarked;
