package io.livesession.redis;

import java.time.Duration;

import io.livesession.identity.AnonymousCookies;
import io.livesession.test.RedisTestConnections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisAnonymousCookieKey}: one key per cluster, created once.
 */
class RedisAnonymousCookieKeyTests {

	private static final String KEY = "livesession:anonymous-cookie-key";

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	LettuceConnectionFactory connectionFactory;

	@BeforeEach
	void connect() {
		this.connectionFactory = redis.connectionFactory();
		new StringRedisTemplate(this.connectionFactory).delete(KEY);
	}

	@Test
	void everyInstanceGetsTheKeyTheFirstOneCreated() {
		byte[] first = new RedisAnonymousCookieKey(this.connectionFactory, KEY).get();
		byte[] second = new RedisAnonymousCookieKey(this.connectionFactory, KEY).get();
		assertThat(first).hasSize(32).isEqualTo(second);
		assertThat(new StringRedisTemplate(this.connectionFactory).getExpire(KEY)).as("never expires").isEqualTo(-1);
	}

	@Test
	void aCookieIssuedByOneInstanceVerifiesOnAnotherAndNotUnderAnotherKey() {
		AnonymousCookies one = new AnonymousCookies("LIVESESSION", Duration.ofDays(1), false,
				new RedisAnonymousCookieKey(this.connectionFactory, KEY));
		AnonymousCookies two = new AnonymousCookies("LIVESESSION", Duration.ofDays(1), false,
				new RedisAnonymousCookieKey(this.connectionFactory, KEY));
		AnonymousCookies elsewhere = new AnonymousCookies("LIVESESSION", Duration.ofDays(1), false,
				new RedisAnonymousCookieKey(this.connectionFactory, KEY + ":other"));
		String value = one.issue();
		assertThat(two.verify(value)).isTrue();
		assertThat(elsewhere.verify(value)).isFalse();
	}

}
