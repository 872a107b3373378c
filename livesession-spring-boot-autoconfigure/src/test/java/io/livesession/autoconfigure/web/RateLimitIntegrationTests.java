package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit, one token bucket per user or anonymous browser over all of its sockets
 * and kept across reconnects: 10 frames a second, bursts of 5, closed after 20 refused
 * frames within a minute.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "livesession.rate-limit.actions-per-second=10", "livesession.rate-limit.burst=5",
				"livesession.rate-limit.max-rejections=20", "livesession.rate-limit.rejection-window=1m" })
class RateLimitIntegrationTests {

	private static final int BURST = 5;

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Test
	void aBurstAboveTheLimitIsRefusedWithRateLimitedAndRefusedActionsChangeNothing() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + cookie)) {
			client.next("hello");
			int sent = 15;
			for (int i = 0; i < sent; i++) {
				client.action("increment", null, "r" + i);
			}
			List<String> replied = new ArrayList<>();
			List<String> refused = new ArrayList<>();
			while (replied.size() + refused.size() < sent) {
				JsonNode frame = client.next();
				switch (frame.get("type").asString()) {
					case "reply" -> replied.add(frame.get("ref").asString());
					case "error" -> {
						assertThat(frame.get("code").asString()).isEqualTo("rate_limited");
						refused.add(frame.get("ref").asString());
					}
					default -> assertThat(frame.get("type").asString()).isEqualTo("state");
				}
			}
			assertThat(replied).as("the burst is served").startsWith("r0", "r1", "r2", "r3", "r4");
			assertThat(refused).as("the rest of the burst is refused, each with its ref").isNotEmpty();
			assertThat(refused).allSatisfy((ref) -> assertThat(ref).matches("r\\d+"));
			assertThat(this.groups.get(groupId).getVersion()).as("only served actions changed the group")
				.isEqualTo(replied.size());
			assertThat(this.groups.get(groupId).getAttribute("counter", Map.class)).containsEntry("count",
					replied.size());
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void aSustainedFloodIsClosedWith1008() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient flood = LiveTestClient.connect(this.port, cookie);
				LiveTestClient otherBrowser = LiveTestClient.connect(this.port,
						"LIVESESSION=" + AnonymousCookies.generate())) {
			flood.next("hello");
			otherBrowser.next("hello");
			try {
				for (int i = 0; i < 200 && !flood.isClosed(); i++) {
					flood.sendText("{\"type\":\"sync\"}");
				}
			}
			catch (IllegalStateException ex) {
				// The server closed the connection while the client was still sending.
			}
			CloseReason reason = flood.awaitClose(Duration.ofSeconds(10));
			assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
			assertThat(reason.getReasonPhrase()).isEqualTo("rate_limited");
			otherBrowser.action("increment", null, "other");
			assertThat(otherBrowser.next("reply").get("ref").asString()).as("another browser is not limited")
				.isEqualTo("other");
		}
	}

	@Test
	void aFloodOfBadFramesIsClosedWith1008Too() {
		try (LiveTestClient flood = LiveTestClient.connect(this.port, null)) {
			flood.next("hello");
			try {
				for (int i = 0; i < 200 && !flood.isClosed(); i++) {
					flood.sendText("not json");
				}
			}
			catch (IllegalStateException ex) {
				// The server closed the connection while the client was still sending.
			}
			assertThat(flood.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode()).isEqualTo(1008);
		}
	}

	@Test
	void trafficBelowTheLimitIsNeverRefused() throws InterruptedException {
		try (LiveTestClient client = LiveTestClient.connect(this.port, null)) {
			client.next("hello");
			// A burst's worth at once, then one frame per 1.5 tokens' time: the bucket
			// never runs dry, however slow the machine.
			for (int i = 0; i < BURST; i++) {
				client.action("echo", i, "b" + i);
			}
			for (int i = 0; i < BURST; i++) {
				assertThat(client.next().get("type").asString()).isEqualTo("reply");
			}
			Thread.sleep(600);
			for (int i = 0; i < 15; i++) {
				client.action("echo", i, "p" + i);
				JsonNode reply = client.next();
				assertThat(reply.get("type").asString()).as("frame %s: %s", i, reply).isEqualTo("reply");
				Thread.sleep(150);
			}
		}
	}

}
