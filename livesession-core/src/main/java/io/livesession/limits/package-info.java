/**
 * Limits against hostile clients: connections per user, per anonymous browser, per remote
 * address and per instance, and new anonymous groups per remote address.
 */
@NullMarked
package io.livesession.limits;

import org.jspecify.annotations.NullMarked;
