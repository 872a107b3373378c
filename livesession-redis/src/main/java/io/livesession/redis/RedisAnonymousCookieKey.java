package io.livesession.redis;

import java.security.SecureRandom;
import java.util.Base64;

import io.livesession.identity.AnonymousCookieKey;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * The anonymous cookie key of a cluster, created once in Redis and read by every
 * instance, so that a cookie one instance issued verifies on all the others without any
 * configuration. The first instance to start writes 256 random bits with {@code SET NX};
 * the others, and every later start, read what it wrote. The key never expires: deleting
 * it makes every anonymous cookie a fresh one. Whoever can read Redis can read the key;
 * set {@code livesession.anonymous.secret} to keep it elsewhere.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisAnonymousCookieKey implements AnonymousCookieKey {

	private static final SecureRandom random = new SecureRandom();

	private final StringRedisTemplate redis;

	private final String key;

	/**
	 * Create a key source.
	 * @param connectionFactory the Redis connections
	 * @param key the Redis key holding the cookie key
	 */
	public RedisAnonymousCookieKey(RedisConnectionFactory connectionFactory, String key) {
		Assert.hasText(key, "'key' must not be empty");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.key = key;
	}

	@Override
	public byte[] get() {
		byte[] fresh = new byte[32];
		random.nextBytes(fresh);
		// Only the first writer wins; everyone then reads the winner's key.
		this.redis.opsForValue().setIfAbsent(this.key, Base64.getEncoder().encodeToString(fresh));
		String stored = this.redis.opsForValue().get(this.key);
		Assert.state(stored != null, () -> "The anonymous cookie key vanished from Redis key " + this.key);
		return Base64.getDecoder().decode(stored);
	}

}
