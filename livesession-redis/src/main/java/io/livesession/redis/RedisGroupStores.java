package io.livesession.redis;

import java.time.Duration;

import io.livesession.group.GroupStore;
import io.livesession.group.GroupStores;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Group stores on Spring Session Data Redis. Each group is one Redis hash under
 * {@code <prefix>groups:sessions:<groupId>}, apart from HTTP sessions; attributes are
 * JSON (no Java serialization) and Redis expires the key after the group's sliding
 * timeout. The {@link RedisSessionRepository} is private to the store, never a bean.
 *
 * @author livesession
 */
public final class RedisGroupStores {

	/** How long a crashed instance can hold a group lock. */
	static final Duration LOCK_LEASE = Duration.ofSeconds(10);

	private RedisGroupStores() {
	}

	/**
	 * A group store on Redis.
	 * @param connectionFactory the connection factory
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param timeout the sliding time to live of a group without connections
	 * @param lockWaitTimeout how long an update waits for a group lock before answering
	 * {@code unavailable}
	 * @return the store
	 */
	public static GroupStore create(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration lockWaitTimeout) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(connectionFactory);
		template.setKeySerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		// Plain JSON without type information: attributes are JSON text already, and the
		// session's own fields are numbers that read back as the Long and Integer values
		// Spring Session expects.
		RedisSerializer<Object> json = new JacksonJsonRedisSerializer<>(JsonMapper.builder().build(), Object.class);
		template.setValueSerializer(json);
		template.setHashValueSerializer(json);
		template.afterPropertiesSet();
		RedisSessionRepository repository = new RedisSessionRepository(template);
		repository.setRedisKeyNamespace(keyPrefix + "groups");
		repository.setDefaultMaxInactiveInterval(timeout);
		FixedSessionIds ids = new FixedSessionIds();
		repository.setSessionIdGenerator(ids);
		RedisGroupLocks locks = new RedisGroupLocks(new StringRedisTemplate(connectionFactory),
				GroupStores.localLocks(), keyPrefix + "lock:", LOCK_LEASE, lockWaitTimeout);
		// RedisSession is not public: drive the repository through the Session interface.
		@SuppressWarnings("unchecked")
		SessionRepository<Session> sessions = (SessionRepository<Session>) (SessionRepository<?>) repository;
		GroupStore store = GroupStores.springSession(sessions, (groupId) -> ids.create(repository, groupId), locks,
				timeout);
		// RedisSessionRepository's key of a session: <namespace>:sessions:<id>.
		return new ScanningGroupStore(store, new StringRedisTemplate(connectionFactory),
				keyPrefix + "groups:sessions:");
	}

	/**
	 * Lets the repository create a session whose id is the group id:
	 * {@code RedisSessionRepository} only creates sessions with generated ids, and its
	 * {@code RedisSession} has no public constructor.
	 */
	private static final class FixedSessionIds implements SessionIdGenerator {

		private final ThreadLocal<@Nullable String> next = new ThreadLocal<>();

		Session create(RedisSessionRepository repository, String groupId) {
			this.next.set(groupId);
			try {
				return ((SessionRepository<?>) repository).createSession();
			}
			finally {
				this.next.remove();
			}
		}

		@Override
		public String generate() {
			String id = this.next.get();
			Assert.state(id != null, "Group sessions are only created with their group id");
			return id;
		}

	}

}
