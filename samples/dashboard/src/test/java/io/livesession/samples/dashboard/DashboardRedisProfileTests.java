package io.livesession.samples.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's {@code redis} profile: two instances on one Redis, HTTP sessions in
 * Redis. Beyond the private Redis's host and port only what the profile ships is set (no
 * {@code spring.data.redis.timeout}), as a user would run it.
 */
class DashboardRedisProfileTests {

	@Test
	void anAnnouncementOnOneInstanceReachesConnectionsOnTheOther() {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = start(redis);
				ConfigurableApplicationContext two = start(redis)) {
			HttpBrowser adminBrowser = new HttpBrowser(port(one), "password");
			adminBrowser.login("admin");
			HttpBrowser aliceBrowser = new HttpBrowser(port(two), "password");
			aliceBrowser.login("alice");
			try (LiveTestClient admin = adminBrowser.connect(); LiveTestClient alice = aliceBrowser.connect()) {
				admin.action("announce", Map.of("message", "across"), "a");
				assertThat(alice.next("announcement"))
					.hasToString("{\"type\":\"announcement\",\"from\":\"admin\",\"message\":\"across\"}");
			}
		}
	}

	@Test
	void anAdminGetsTheClusterWideCountsOncePerChangeNotOncePerInstance() {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = start(redis);
				ConfigurableApplicationContext two = start(redis)) {
			HttpBrowser adminBrowser = new HttpBrowser(port(one), "password");
			adminBrowser.login("admin");
			HttpBrowser aliceBrowser = new HttpBrowser(port(two), "password");
			aliceBrowser.login("alice");
			try (LiveTestClient admin = adminBrowser.connect(); LiveTestClient alice = aliceBrowser.connect()) {
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				JsonNode online = admin.next("online");
				while (online.get("users").asInt() < 2 && System.nanoTime() < deadline) {
					online = admin.next("online");
				}
				JsonNode counts = online;
				assertThat(counts).hasToString("{\"type\":\"online\",\"users\":2,\"connections\":2}");
				// Counts stay put: each instance's job runs twice more; none may send.
				List<Object> later = new ArrayList<>();
				long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
				Object frame;
				while (System.nanoTime() < until
						&& (frame = admin.poll(Duration.ofNanos(until - System.nanoTime()))) != null) {
					later.add(frame);
				}
				List<Object> repeats = later.stream().filter((f) -> String.valueOf(f).contains("\"online\"")).toList();
				assertThat(repeats).as("no repeated online frame while nothing changes").isEmpty();
			}
		}
	}

	private static ConfigurableApplicationContext start(RedisTestServer redis) {
		return SpringApplication.run(DashboardApplication.class, "--server.port=0", "--spring.profiles.active=redis",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port());
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
