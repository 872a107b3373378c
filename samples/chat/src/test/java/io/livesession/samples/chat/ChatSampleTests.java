package io.livesession.samples.chat;

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
 * The chat sample as samples.md describes it: a real form login with CSRF, then real
 * WebSocket connections with the session cookie.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatSampleTests {

	@LocalServerPort
	int port;

	@Test
	void anAnonymousHandshakeGets401() {
		assertThat(RawHandshake.send(this.port, "/live", Map.of()).status()).isEqualTo(401);
	}

	@Test
	void aliceSeesHerMessageInBothSessionsAndBobNeverDoes() {
		HttpBrowser laptop = new HttpBrowser(this.port, "password");
		laptop.login("alice");
		HttpBrowser phone = new HttpBrowser(this.port, "password");
		phone.login("alice");
		HttpBrowser bobsBrowser = new HttpBrowser(this.port, "password");
		bobsBrowser.login("bob");
		try (LiveTestClient alice1 = laptop.connect();
				LiveTestClient alice2 = phone.connect();
				LiveTestClient bob = bobsBrowser.connect()) {
			alice1.action("send", Map.of("text", "hello from alice"), "1");
			for (LiveTestClient alice : new LiveTestClient[] { alice1, alice2 }) {
				JsonNode messages = alice.next("state").at("/state/messages");
				JsonNode last = messages.get(messages.size() - 1);
				assertThat(last).hasToString("{\"user\":\"alice\",\"text\":\"hello from alice\"}");
			}
			assertThat(alice1.next("reply").at("/data/text").asString()).isEqualTo("hello from alice");
			assertThat(bob.poll(Duration.ofMillis(300))).as("bob sees nothing of alice's").isNull();
		}
	}

	@Test
	void emptyOrTooLongTextIsABadRequest() {
		HttpBrowser browser = new HttpBrowser(this.port, "password");
		browser.login("bob");
		try (LiveTestClient bob = browser.connect()) {
			bob.action("send", Map.of("text", ""), "e");
			assertThat(bob.next("error").get("code").asString()).isEqualTo("bad_request");
			bob.action("send", Map.of("text", "x".repeat(501)), "l");
			assertThat(bob.next("error").get("code").asString()).isEqualTo("bad_request");
			bob.action("send", Map.of("text", "x".repeat(500)), "ok");
			assertThat(bob.next("reply").get("ref").asString()).isEqualTo("ok");
		}
	}

	@Test
	void logoutClosesThatSessionsSocketsWithinOneSecondAndLeavesTheOtherSessionOpen() {
		HttpBrowser laptop = new HttpBrowser(this.port, "password");
		laptop.login("alice");
		HttpBrowser phone = new HttpBrowser(this.port, "password");
		phone.login("alice");
		try (LiveTestClient tab1 = laptop.connect();
				LiveTestClient tab2 = laptop.connect();
				LiveTestClient onPhone = phone.connect()) {
			laptop.logout();
			for (LiveTestClient tab : new LiveTestClient[] { tab1, tab2 }) {
				CloseReason reason = tab.awaitClose(Duration.ofSeconds(1));
				assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
				assertThat(reason.getReasonPhrase()).isEqualTo("revoked");
			}
			onPhone.action("send", Map.of("text", "still here"), "p");
			assertThat(onPhone.next("reply").get("ref").asString()).isEqualTo("p");
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
