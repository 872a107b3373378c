package io.livesession.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances on one Redis, HTTP sessions in Redis: the close is decided on one
 * instance (a logout, an HTTP session that expired, a kick, an erasure; a rate-limit
 * close and an eviction where the socket is, the eviction by broadcasts from the other),
 * and the socket on the other instance, whose client ignores the close frame, gets
 * nothing committed to the shared store.
 */
class ClusterClosedConnectionIntegrationTests {

	static RedisTestServer redis;

	static LiveCluster cluster;

	static ConfigurableApplicationContext one;

	static ConfigurableApplicationContext two;

	@BeforeAll
	static void start() {
		redis = RedisTestServer.start();
		cluster = new LiveCluster(redis);
		List<String> properties = new ArrayList<>(List.of("test.redis-sessions=true"));
		properties.addAll(List.of(IgnoredClose.PROPERTIES));
		one = cluster.start(LoginTestApplication.class, properties.toArray(String[]::new));
		two = cluster.start(LoginTestApplication.class, properties.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		cluster.close();
		redis.close();
	}

	private static IgnoredClose scenarios() {
		return new IgnoredClose(one, two);
	}

	@Test
	void afterALogoutOnTheOtherInstanceNoActionOfTheSocketIsCommitted() {
		scenarios().logout();
	}

	@Test
	void afterItsRedisHttpSessionExpiredNoActionOfTheSocketIsCommitted() {
		scenarios().httpSessionExpiry();
	}

	@Test
	void afterAKickFromTheOtherInstanceNoActionOfTheSocketIsCommitted() {
		scenarios().kick();
	}

	@Test
	void afterAnErasureFromTheOtherInstanceNoActionOfTheSocketIsCommittedAndTheGroupStaysErased() {
		scenarios().erasure();
	}

	@Test
	void afterARateLimitCloseNoActionOfTheSocketIsCommittedToTheSharedStore() {
		scenarios().rateLimitClose();
	}

	@Test
	void afterAnEvictionByBroadcastsFromTheOtherInstanceNoActionOfTheSocketIsCommitted() {
		scenarios().eviction();
	}

}
