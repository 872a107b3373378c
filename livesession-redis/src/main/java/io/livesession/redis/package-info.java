/**
 * Redis support: session groups in Spring Session's hash layout with version-fenced
 * commits, cross-instance delivery, presence and revocations on Redis pub/sub (one shared
 * listener container), cluster leadership and the cluster's anonymous cookie key. The Lua
 * scripts are resources of this package, read once.
 */
@NullMarked
package io.livesession.redis;

import org.jspecify.annotations.NullMarked;
