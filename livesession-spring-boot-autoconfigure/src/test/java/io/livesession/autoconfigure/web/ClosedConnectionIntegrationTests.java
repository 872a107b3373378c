package io.livesession.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A client that ignores the server's close frame and keeps sending gets nothing
 * committed, on one instance with the shipped limits: after a logout, the expiry of its
 * HTTP session, a kick, an erasure, a rate-limit close and an eviction.
 */
class ClosedConnectionIntegrationTests {

	static ConfigurableApplicationContext instance;

	@BeforeAll
	static void start() {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
		properties.addAll(List.of(IgnoredClose.PROPERTIES));
		instance = new SpringApplicationBuilder(LoginTestApplication.class)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@AfterAll
	static void stop() {
		instance.close();
	}

	private static IgnoredClose scenarios() {
		return new IgnoredClose(instance, instance);
	}

	@Test
	void afterLogoutNoActionOfTheSocketIsCommitted() {
		scenarios().logout();
	}

	@Test
	void afterItsHttpSessionExpiredNoActionOfTheSocketIsCommitted() {
		scenarios().httpSessionExpiry();
	}

	@Test
	void afterAKickNoActionOfTheSocketIsCommitted() {
		scenarios().kick();
	}

	@Test
	void afterAnErasureNoActionOfTheSocketIsCommittedAndTheGroupStaysErased() {
		scenarios().erasure();
	}

	@Test
	void afterARateLimitCloseNoActionOfTheSocketIsCommitted() {
		scenarios().rateLimitClose();
	}

	@Test
	void afterAnEvictionNoActionOfTheSocketIsCommitted() {
		scenarios().eviction();
	}

}
