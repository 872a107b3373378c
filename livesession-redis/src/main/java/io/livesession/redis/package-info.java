/**
 * Redis support: session groups in Spring Session's hash layout with version-fenced
 * commits, cross-instance delivery, presence and revocations on Redis pub/sub (one shared
 * listener container; on a Redis 7+ cluster the routed delivery channels are sharded, on
 * Lettuce's own API since Spring Data Redis has no sharded pub/sub), cluster leadership
 * and the cluster's anonymous cookie key. The Lua scripts are resources of this package,
 * read once.
 */
@NullMarked
package io.livesession.redis;

import org.jspecify.annotations.NullMarked;
