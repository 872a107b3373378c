package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped heartbeat defaults (a ping every 25 s) keep a socket open that is idle for
 * three times Jetty's default idle timeout (30 s): 90 s, the longest test of the suite.
 * Tomcat has no idle timeout of its own for WebSockets; the test runs there too, since
 * livesession sets one (70 s with the defaults).
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class HeartbeatDefaultsIntegrationTests {

	/** Jetty's default idle timeout. */
	private static final Duration JETTY_IDLE_TIMEOUT = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Test
	void aConnectionIdleForThreeTimesJettysDefaultIdleTimeoutStaysOpen() throws Exception {
		try (LiveTestClient client = LiveTestClient.connect(this.port, null)) {
			client.next("hello");
			Thread.sleep(JETTY_IDLE_TIMEOUT.multipliedBy(3).toMillis());
			assertThat(client.isClosed()).isFalse();
			client.action("echo", "still here", "r1");
			assertThat(client.next("reply").get("data").asString()).isEqualTo("still here");
		}
	}

}
