package io.livesession.samples.dashboard;

import java.time.Duration;
import java.util.Map;

import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawHandshake;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard sample as samples.md describes it: a real form login with CSRF, then real
 * WebSocket connections with the session cookie.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardSampleTests {

	@LocalServerPort
	int port;

	private LiveTestClient login(String user) {
		HttpBrowser browser = new HttpBrowser(this.port, "password");
		browser.login(user);
		return browser.connect();
	}

	@Test
	void anAnonymousHandshakeGets401() {
		assertThat(RawHandshake.send(this.port, "/live", Map.of()).status()).isEqualTo(401);
	}

	@Test
	void aliceCannotAnnounce() {
		try (LiveTestClient alice = login("alice"); LiveTestClient bob = login("bob")) {
			alice.action("announce", Map.of("message", "hi"), "a");
			JsonNode error = alice.next("error");
			assertThat(error.get("code").asString()).isEqualTo("forbidden");
			assertThat(bob.poll(Duration.ofMillis(300))).as("nothing was announced").isNull();
		}
	}

	@Test
	void theAdminsAnnouncementReachesEveryConnectionAsTheRawFrame() {
		try (LiveTestClient alice = login("alice");
				LiveTestClient bob = login("bob");
				LiveTestClient admin = login("admin")) {
			admin.action("announce", Map.of("message", "Maintenance at noon"), "a");
			for (LiveTestClient client : new LiveTestClient[] { alice, bob }) {
				JsonNode frame = client.next("announcement");
				assertThat(frame)
					.hasToString("{\"type\":\"announcement\",\"from\":\"admin\",\"message\":\"Maintenance at noon\"}");
			}
		}
	}

	@Test
	void anAnnouncementWithALoneSurrogateIsABadRequestAndClosesNoOne() {
		try (LiveTestClient alice = login("alice"); LiveTestClient admin = login("admin")) {
			// What JSON.stringify produces for a string with a lone surrogate.
			admin.sendText("{\"type\":\"action\",\"action\":\"announce\","
					+ "\"data\":{\"message\":\"\\ud800 x\"},\"ref\":\"a\"}");
			JsonNode error = admin.next("error");
			assertThat(error.get("code").asString()).isEqualTo("bad_request");
			assertThat(error.get("message").asString()).startsWith("data.message: ");
			assertThat(alice.poll(Duration.ofMillis(300))).as("nothing was announced").isNull();
			assertThat(alice.isClosed()).isFalse();
			assertThat(admin.isClosed()).isFalse();
			admin.action("announce", Map.of("message", "still here"), "b");
			assertThat(alice.next("announcement").get("message").asString()).isEqualTo("still here");
			try (LiveTestClient again = login("alice")) {
				assertThat(again.getReceived().get(0).get("type").asString()).isEqualTo("hello");
			}
		}
	}

	@Test
	void kickClosesEveryConnectionOfTheUser() {
		try (LiveTestClient bob1 = login("bob");
				LiveTestClient bob2 = login("bob");
				LiveTestClient alice = login("alice");
				LiveTestClient admin = login("admin")) {
			admin.action("kick", Map.of("user", "bob"), "k");
			for (LiveTestClient bob : new LiveTestClient[] { bob1, bob2 }) {
				CloseReason reason = bob.awaitClose(Duration.ofSeconds(2));
				assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
				assertThat(reason.getReasonPhrase()).isEqualTo("revoked");
			}
			assertThat(alice.isClosed()).isFalse();
		}
	}

	@Test
	void adminsGetTheOnlineCountsWhenSomeoneConnects() {
		try (LiveTestClient admin = login("admin")) {
			JsonNode first = admin.next("online");
			assertThat(first.get("users").asInt()).isEqualTo(1);
			try (LiveTestClient alice = login("alice"); LiveTestClient alice2 = login("alice")) {
				long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				JsonNode online = admin.next("online");
				while (online.get("connections").asInt() < 3 && System.nanoTime() < deadline) {
					online = admin.next("online");
				}
				assertThat(online.get("users").asInt()).isEqualTo(2);
				assertThat(online.get("connections").asInt()).isEqualTo(3);
				assertThat(alice.poll(Duration.ofMillis(1200))).as("alice is no admin").isNull();
			}
		}
	}

	@Test
	void actuatorWritesAreForTheAdminAloneAndReadsAreOpen() {
		HttpBrowser alice = new HttpBrowser(this.port, "password");
		alice.login("alice");
		try (LiveTestClient tab = alice.connect()) {
			String connectionId = tab.getReceived().get(0).get("connectionId").asString();
			String disconnect = "/actuator/livesession/connections/" + connectionId;
			HttpBrowser anonymous = new HttpBrowser(this.port, "password");
			// A CSRF token scraped from the public login page is no key
			String token = anonymous.csrf("/login");
			assertThat(anonymous.postJson(disconnect, "", Map.of("X-CSRF-TOKEN", token)).statusCode()).isEqualTo(401);
			assertThat(
					anonymous.delete("/actuator/livesession/users/alice", Map.of("X-CSRF-TOKEN", token)).statusCode())
				.isEqualTo(401);
			assertThat(anonymous.postJson(disconnect, "", Map.of()).statusCode()).as("without a token").isIn(401, 403);
			HttpBrowser bob = new HttpBrowser(this.port, "password");
			bob.login("bob");
			assertThat(bob.delete("/actuator/livesession/users/alice", Map.of("X-CSRF-TOKEN", bob.csrf("/logout")))
				.statusCode()).isEqualTo(403);
			assertThat(tab.poll(Duration.ofMillis(300))).as("alice is still connected").isNull();
			assertThat(tab.isClosed()).isFalse();
			assertThat(anonymous.get("/actuator/livesession").statusCode()).as("reads follow the exposure")
				.isEqualTo(200);
			HttpBrowser admin = new HttpBrowser(this.port, "password");
			admin.login("admin");
			assertThat(admin.postJson(disconnect, "", Map.of("X-CSRF-TOKEN", admin.csrf("/logout"))).statusCode())
				.isIn(200, 204);
			CloseReason reason = tab.awaitClose(Duration.ofSeconds(2));
			assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
		}
	}

}
