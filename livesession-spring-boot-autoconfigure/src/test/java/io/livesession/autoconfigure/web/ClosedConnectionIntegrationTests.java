package io.livesession.autoconfigure.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.livesession.SessionGroups;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that ignores the server's close frame and keeps sending gets nothing
 * committed, on one instance with the shipped limits: after a logout, the expiry of its
 * HTTP session, a kick, an erasure, a rate-limit close and an eviction. The rate limit is
 * one bucket per browser that reconnecting does not refill.
 */
class ClosedConnectionIntegrationTests {

	/** The shipped {@code livesession.rate-limit.burst}. */
	private static final int BURST = 40;

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

	@Test
	void aReconnectDoesNotRefillTheShippedRateLimitNorDoesAnotherSocketOfTheSameBrowser() {
		int port = LiveCluster.port(instance);
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(port);
		try (LiveTestClient first = LiveTestClient.connect(port, cookie)) {
			first.next("hello");
			assertThat(accepted(first, BURST)).as("the shipped burst").isEqualTo(BURST);
		}
		// At 20 a second, a new bucket's 40 would take two seconds to refill.
		try (LiveTestClient again = LiveTestClient.connect(port, cookie);
				LiveTestClient sibling = LiveTestClient.connect(port, cookie)) {
			again.next("hello");
			sibling.next("hello");
			assertThat(accepted(again, BURST / 2) + accepted(sibling, BURST / 2)).as("accepted after reconnecting")
				.isLessThan(BURST);
		}
	}

	@Test
	void afterLogoutAnHttpActionReplayingTheOldSessionNeverReachesTheUsersGroup() {
		Browser browser = new Browser(LiveCluster.port(instance));
		browser.login("alice");
		String session = browser.cookie("JSESSIONID");
		Map<String, String> csrf = Map.of("X-CSRF-TOKEN", browser.csrf("/logout"));
		assertThat(browser.postJson("/live/actions/increment", "", csrf).statusCode()).as("before the logout")
			.isEqualTo(200);
		SessionGroups groups = instance.getBean(SessionGroups.class);
		long version = groups.get("user:alice").getVersion();
		browser.logout();
		browser.setCookie("JSESSIONID", session);
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> response = browser.postJson("/live/actions/increment", "", csrf);
			assertThat(response.statusCode()).as("the old session's action").isIn(401, 403);
		}
		assertThat(groups.get("user:alice").getVersion()).isEqualTo(version);
	}

	/** Send {@code count} echo actions and count the replies among their answers. */
	private static int accepted(LiveTestClient client, int count) {
		for (int i = 0; i < count; i++) {
			client.action("echo", i, "e" + i);
		}
		int replies = 0;
		for (int i = 0; i < count; i++) {
			JsonNode frame = client.next();
			if (frame.get("type").asString().equals("reply")) {
				replies++;
			}
			else {
				assertThat(frame.get("code").asString()).isEqualTo("rate_limited");
			}
		}
		return replies;
	}

}
