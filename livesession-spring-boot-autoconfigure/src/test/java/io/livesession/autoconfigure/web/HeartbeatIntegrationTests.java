package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawWebSocket;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats with a short interval and timeout: the container's idle timeout of a live
 * socket is then 2 × 1 s + 1 s = 3 s, so three idle timeouts take 9 s. The shipped
 * defaults have {@link HeartbeatDefaultsIntegrationTests their own test}.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "livesession.heartbeat.interval=1s", "livesession.heartbeat.timeout=1s" })
class HeartbeatIntegrationTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration IDLE_TIMEOUT = INTERVAL.multipliedBy(2).plus(TIMEOUT);

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Test
	void aConnectionIdleForThreeIdleTimeoutsStaysOpenBecauseItAnswersThePings() throws Exception {
		try (LiveTestClient client = LiveTestClient.connect(this.port, null)) {
			client.next("hello");
			Thread.sleep(IDLE_TIMEOUT.multipliedBy(3).toMillis());
			assertThat(client.isClosed()).isFalse();
			client.action("echo", "still here", "r1");
			assertThat(client.next("reply").get("data").asString()).isEqualTo("still here");
		}
	}

	@Test
	void aClientThatStopsAnsweringPingsIsClosedAndUnregisteredWithinIntervalPlusTimeout() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", List.of("Cookie: LIVESESSION=" + cookie))) {
			assertThat(socket.status()).isEqualTo(101);
			assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
			long start = System.nanoTime();
			// It reads the pings but never answers them.
			RawWebSocket.Frame frame = socket.readFrame(INTERVAL.plusSeconds(5));
			assertThat(frame).isNotNull();
			assertThat(frame.opcode()).isEqualTo(RawWebSocket.PING);
			await().atMost(INTERVAL.plus(TIMEOUT).plusSeconds(2))
				.until(() -> this.registry.findByGroup(groupId).isEmpty());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(INTERVAL.plus(TIMEOUT).plusSeconds(2));
			assertThat(socket.awaitCloseCode(Duration.ofSeconds(5))).isEqualTo(1001);
		}
	}

	@Test
	void aClientThatKeepsSendingFramesIsAliveWithoutAnsweringPings() throws Exception {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", List.of("Cookie: LIVESESSION=" + cookie))) {
			socket.nextJson();
			long end = System.nanoTime() + INTERVAL.plus(TIMEOUT).multipliedBy(2).toNanos();
			while (System.nanoTime() < end) {
				socket.sendText("{\"type\":\"sync\"}");
				Thread.sleep(200);
			}
			assertThat(this.registry.findByGroup(groupId)).hasSize(1);
		}
	}

}
