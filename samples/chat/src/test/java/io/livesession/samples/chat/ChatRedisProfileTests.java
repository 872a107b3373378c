package io.livesession.samples.chat;

import java.time.Duration;

import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's {@code redis} profile: two instances on one Redis, HTTP sessions in Redis.
 * Beyond the private Redis's host and port only what the profile ships is set (no
 * {@code spring.data.redis.timeout}), as a user would run it.
 */
class ChatRedisProfileTests {

	@Test
	void logoutOnOneInstanceClosesTheSocketOnTheOtherWithinTwoSeconds() {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = start(redis);
				ConfigurableApplicationContext two = start(redis)) {
			HttpBrowser browser = new HttpBrowser(port(one), "password");
			browser.login("alice");
			try (LiveTestClient onTwo = browser.on(port(two)).connect()) {
				browser.on(port(one)).logout();
				CloseReason reason = onTwo.awaitClose(Duration.ofSeconds(2));
				assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
				assertThat(reason.getReasonPhrase()).isEqualTo("revoked");
			}
		}
	}

	private static ConfigurableApplicationContext start(RedisTestServer redis) {
		return SpringApplication.run(ChatApplication.class, "--server.port=0", "--spring.profiles.active=redis",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port());
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
