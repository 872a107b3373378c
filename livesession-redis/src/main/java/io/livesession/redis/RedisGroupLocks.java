package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.livesession.SessionGroupUnavailableException;
import io.livesession.group.GroupLocks;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link GroupLocks} every instance sees: a local lock first, so contenders of one
 * instance queue in memory, then a Redis lock ({@code SET NX PX} with a random token,
 * released by a compare-and-delete script) for contenders on other instances.
 *
 * <p>
 * Written here rather than taken from Spring Integration's {@code RedisLockRegistry}:
 * that would pull in Spring Integration for one class, and this lock needs only the two
 * commands of the documented single-instance Redis lock pattern. The lease bounds how
 * long a crashed holder blocks a group; a step must finish well within it.
 *
 * @author livesession
 */
final class RedisGroupLocks implements GroupLocks {

	private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>(
			"if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
			Long.class);

	private final StringRedisTemplate redis;

	private final GroupLocks local;

	private final String keyPrefix;

	private final Duration lease;

	private final Duration waitTimeout;

	RedisGroupLocks(StringRedisTemplate redis, GroupLocks local, String keyPrefix, Duration lease,
			Duration waitTimeout) {
		this.redis = redis;
		this.local = local;
		this.keyPrefix = keyPrefix;
		this.lease = lease;
		this.waitTimeout = waitTimeout;
	}

	@Override
	public <T> T withLock(String groupId, Supplier<T> task) {
		return this.local.withLock(groupId, () -> {
			String key = this.keyPrefix + groupId;
			String token = UUID.randomUUID().toString();
			acquire(key, token);
			try {
				return task.get();
			}
			finally {
				release(key, token);
			}
		});
	}

	private void acquire(String key, String token) {
		long deadline = System.nanoTime() + this.waitTimeout.toNanos();
		int pause = 1;
		while (true) {
			Boolean acquired;
			try {
				acquired = this.redis.opsForValue().setIfAbsent(key, token, this.lease);
			}
			catch (RuntimeException ex) {
				throw new SessionGroupUnavailableException("Redis is unavailable", ex);
			}
			if (Boolean.TRUE.equals(acquired)) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new SessionGroupUnavailableException("Timed out waiting for the lock " + key, null);
			}
			sleep(ThreadLocalRandom.current().nextInt(pause) + 1);
			pause = Math.min(pause * 2, 16);
		}
	}

	private void release(String key, String token) {
		try {
			this.redis.execute(RELEASE, List.of(key), token);
		}
		catch (RuntimeException ex) {
			// The lease frees the lock when Redis is back; the step itself already
			// committed
			// or failed on its own.
		}
	}

	private static void sleep(int millis) {
		try {
			TimeUnit.MILLISECONDS.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SessionGroupUnavailableException("Interrupted waiting for a group lock", ex);
		}
	}

}
