package io.livesession.redis;

import java.time.Duration;
import java.util.UUID;

import io.livesession.test.RedisTestConnections;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisClusterLeader} on a private Redis: several elections stand for
 * several instances. The crash of a leader's JVM is tested end to end in the
 * autoconfigure module's ClusterLeaderIntegrationTests.
 */
class RedisClusterLeaderTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	LettuceConnectionFactory connectionFactory;

	final String prefix = "test-" + UUID.randomUUID() + ":";

	@BeforeEach
	void connect() {
		this.connectionFactory = redis.connectionFactory();
	}

	private RedisClusterLeader election(String id, Duration lease) {
		return new RedisClusterLeader(this.connectionFactory, this.prefix, id, lease);
	}

	@Test
	void ofTwoInstancesExactlyOneLeads() {
		RedisClusterLeader one = election("one", Duration.ofSeconds(10));
		RedisClusterLeader two = election("two", Duration.ofSeconds(10));
		one.start();
		await().atMost(Duration.ofSeconds(5)).until(one::isLeader);
		two.start();
		try {
			two.tryAcquire();
			assertThat(two.isLeader()).isFalse();
			assertThat(two.getTerm()).isZero();
			assertThat(two.runIfLeader(() -> {
				throw new AssertionError("ran on the follower");
			})).isFalse();
			assertThat(one.isLeader()).isTrue();
			assertThat(one.getTerm()).isPositive();
			one.tryAcquire();
			assertThat(one.isLeader()).as("a renewal keeps the leadership").isTrue();
		}
		finally {
			one.stop();
			two.stop();
		}
	}

	@Test
	void aCleanStopHandsOverWithinAThirdOfTheLeaseWithAHigherTerm() {
		Duration lease = Duration.ofSeconds(3);
		RedisClusterLeader one = election("one", lease);
		RedisClusterLeader two = election("two", lease);
		one.start();
		await().atMost(Duration.ofSeconds(5)).until(one::isLeader);
		long firstTerm = one.getTerm();
		two.start();
		try {
			one.stop();
			assertThat(one.isLeader()).isFalse();
			await().atMost(lease.dividedBy(3).plusSeconds(1)).until(two::isLeader);
			assertThat(two.getTerm()).isGreaterThan(firstTerm);
		}
		finally {
			two.stop();
		}
	}

	@Test
	void aLeaderThatCannotReachRedisStopsLeadingWhenItsLeaseEnds() {
		Duration lease = Duration.ofMillis(1500);
		try (RedisTestServer own = RedisTestServer.start()) {
			LettuceConnectionFactory factory = redis.connectionFactory(own, Duration.ofMillis(300));
			RedisClusterLeader cutOff = new RedisClusterLeader(factory, this.prefix, "cut-off", lease);
			try {
				cutOff.start();
				await().atMost(Duration.ofSeconds(5)).until(cutOff::isLeader);
				// It cannot learn that it lost: it must give up by itself, no later than
				// its key expires in Redis, so that no two instances lead at once.
				own.stop();
				await().atMost(lease.plusSeconds(1)).until(() -> !cutOff.isLeader());
				assertThat(cutOff.getTerm()).isZero();
			}
			finally {
				cutOff.stop();
			}
		}
	}

	@Test
	void aLeaderWhoseKeyWasTakenNoLongerLeadsAfterItsNextRenewal() {
		RedisClusterLeader one = election("one", Duration.ofSeconds(10));
		RedisClusterLeader two = election("two", Duration.ofSeconds(10));
		one.tryAcquire();
		assertThat(one.isLeader()).as("an election takes part only once started").isFalse();
		one.start();
		await().atMost(Duration.ofSeconds(5)).until(one::isLeader);
		StringRedisTemplate template = new StringRedisTemplate(this.connectionFactory);
		template.opsForValue().set(this.prefix + "{leader}:holder", "two");
		one.tryAcquire();
		assertThat(one.isLeader()).isFalse();
		one.stop();
		assertThat(template.opsForValue().get(this.prefix + "{leader}:holder")).as("a stop releases only its own lease")
			.isEqualTo("two");
		two.stop();
	}

}
