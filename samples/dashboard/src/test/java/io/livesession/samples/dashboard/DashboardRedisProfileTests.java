package io.livesession.samples.dashboard;

import java.util.Map;

import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's {@code redis} profile: two instances on one Redis, HTTP sessions in
 * Redis.
 */
class DashboardRedisProfileTests {

	@Test
	void anAnnouncementOnOneInstanceReachesConnectionsOnTheOther() {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = start(redis);
				ConfigurableApplicationContext two = start(redis)) {
			Browser adminBrowser = new Browser(port(one));
			adminBrowser.login("admin");
			Browser aliceBrowser = new Browser(port(two));
			aliceBrowser.login("alice");
			try (LiveTestClient admin = adminBrowser.connect(); LiveTestClient alice = aliceBrowser.connect()) {
				admin.action("announce", Map.of("message", "across"), "a");
				assertThat(alice.next("announcement"))
					.hasToString("{\"type\":\"announcement\",\"from\":\"admin\",\"message\":\"across\"}");
			}
		}
	}

	private static ConfigurableApplicationContext start(RedisTestServer redis) {
		return SpringApplication.run(DashboardApplication.class, "--server.port=0", "--spring.profiles.active=redis",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
				"--spring.data.redis.timeout=2s");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
