/**
 * Redis support: session groups in Spring Session Data Redis with a cluster-wide group
 * lock, cross-instance delivery on Redis pub/sub, and presence.
 */
@NullMarked
package io.livesession.redis;

import org.jspecify.annotations.NullMarked;
