package io.livesession.redis;

import java.time.Duration;
import java.util.UUID;

import io.livesession.BroadcastTarget;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupStores;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Group stores on Redis. Each group is one Redis hash under
 * {@code <prefix>groups:sessions:{<groupId>}} in Spring Session's layout, apart from HTTP
 * sessions; attributes are JSON (no Java serialization) and Redis expires the key after
 * the group's sliding timeout. Updates are optimistic: read the group, run the step, and
 * commit with one script that is fenced by the version read (see
 * {@link io.livesession.group.FencedSessionRepository}), so an uncontended update costs
 * two round trips and no lock, one when this instance committed the group last. The
 * repository is private to the store, never a bean.
 *
 * @author livesession
 */
public final class RedisGroupStores {

	private RedisGroupStores() {
	}

	/**
	 * A group store on Redis whose changes are announced by the caller after the commit.
	 * @param connectionFactory the connection factory, best livesession's bounded one
	 * ({@link LiveRedisConnections})
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param timeout the sliding time to live of a group without connections
	 * @return the store
	 */
	public static GroupStore create(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout) {
		return create(connectionFactory, keyPrefix, timeout, GroupStores.DEFAULT_COMMIT_ATTEMPTS, null);
	}

	/**
	 * A group store on Redis.
	 * @param connectionFactory the connection factory, best livesession's bounded one
	 * ({@link LiveRedisConnections})
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param timeout the sliding time to live of a group without connections
	 * @param commitAttempts how many times an update may run when other instances keep
	 * committing first, before it answers {@code unavailable}
	 * @param delivery the delivery channel whose subscribers receive each commit's
	 * {@code state} frame, published by the commit itself; {@code null} to leave the
	 * announcement to the caller
	 * @return the store
	 * @since 0.1.0
	 */
	public static GroupStore create(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			int commitAttempts, @Nullable RedisDeliveryChannel delivery) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		FencedRedisSessionRepository repository = new FencedRedisSessionRepository(
				new StringRedisTemplate(connectionFactory), keyPrefix + "groups", timeout,
				(delivery != null) ? delivery::stateChannel : null,
				(delivery != null) ? (groupId, frame) -> delivery.encode(BroadcastTarget.groups(groupId), frame) : null,
				(delivery != null) ? delivery.getInstanceId() : UUID.randomUUID().toString(),
				delivery != null && delivery.isSharded(), (delivery != null) ? delivery.states() : null);
		return GroupStores.springSession(repository, repository::create, GroupStores.localLocks(), timeout,
				commitAttempts);
	}

}
