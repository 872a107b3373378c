package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.event.RevocationReason;
import io.livesession.revocation.Revocations;
import io.livesession.event.LiveConnectionRevokedEvent;
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
 * Logout, the end of an HTTP session and the revocation API close the matching sockets
 * with 1008 {@code revoked}, and only those: a real login through Spring Security's form
 * with CSRF, HTTP sessions in the servlet container.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RevocationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Revocations revocations;

	@Autowired
	LoginTestApplication.RecordedEvents events;

	static void assertRevoked(LiveTestClient client, Duration within) {
		CloseReason reason = client.awaitClose(within);
		assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
		assertThat(reason.getReasonPhrase()).isEqualTo("revoked");
	}

	static void assertStillServed(LiveTestClient client, String user) {
		assertThat(client.isClosed()).isFalse();
		client.action("whoami", null, "still-open");
		JsonNode reply = client.next("reply");
		assertThat(reply.at("/data/userId").asString()).isEqualTo(user);
	}

	@Test
	void logoutClosesEverySocketOfThatHttpSessionWithinOneSecondAndLeavesTheUsersOtherSessionOpen() {
		Browser laptop = new Browser(this.port);
		laptop.login("alice");
		Browser phone = new Browser(this.port);
		phone.login("alice");
		try (LiveTestClient tab1 = laptop.connect();
				LiveTestClient tab2 = laptop.connect();
				LiveTestClient onPhone = phone.connect()) {
			laptop.logout();
			assertRevoked(tab1, Duration.ofSeconds(1));
			assertRevoked(tab2, Duration.ofSeconds(1));
			assertThat(onPhone.poll(Duration.ofMillis(300))).as("no frame for the other session").isNull();
			assertStillServed(onPhone, "alice");
			assertThat(phone.currentUser()).isEqualTo("alice");
		}
		LiveConnectionRevokedEvent revoked = this.events.await(LiveConnectionRevokedEvent.class,
				(event) -> "alice".equals(event.getUserId()));
		assertThat(revoked.getReason()).isEqualTo(RevocationReason.LOGOUT);
		assertThat(revoked.getPrincipal()).isNotNull();
		assertThat(revoked.getPrincipal().getName()).isEqualTo("alice");
	}

	@Test
	void afterLogoutTheOldSessionCookieOpensOnlyAnAnonymousConnection() {
		Browser browser = new Browser(this.port);
		browser.login("bob");
		String session = browser.cookie("JSESSIONID");
		try (LiveTestClient before = browser.connect()) {
			browser.logout();
			assertRevoked(before, Duration.ofSeconds(1));
		}
		// Replay the logged-out session cookie.
		browser.setCookie("JSESSIONID", session);
		try (LiveTestClient replay = browser.connect()) {
			replay.action("whoami", null, "w");
			assertThat(replay.next("reply").at("/data/userId").isNull()).isTrue();
		}
	}

	@Test
	void revokeConnectionClosesOnlyThatConnectionAndRevokeUserEveryConnectionOfTheUser() {
		Browser bob1 = new Browser(this.port);
		bob1.login("bob");
		Browser bob2 = new Browser(this.port);
		bob2.login("bob");
		Browser carol = new Browser(this.port);
		carol.login("carol");
		try (LiveTestClient first = bob1.connect();
				LiveTestClient second = bob2.connect();
				LiveTestClient third = bob2.connect();
				LiveTestClient other = carol.connect()) {
			first.action("whoami", null, "w");
			first.next("reply");
			String firstId = first.getReceived().get(0).get("connectionId").asString();
			this.revocations.revokeConnection(firstId);
			assertRevoked(first, Duration.ofSeconds(1));
			assertStillServed(second, "bob");
			this.revocations.revokeUser("bob");
			assertRevoked(second, Duration.ofSeconds(1));
			assertRevoked(third, Duration.ofSeconds(1));
			assertStillServed(other, "carol");
			assertThat(bob1.currentUser()).as("the HTTP session itself is the application's business").isEqualTo("bob");
		}
		assertThat(this.events.all(LiveConnectionRevokedEvent.class))
			.filteredOn((event) -> "bob".equals(event.getUserId()) && event.getReason() == RevocationReason.APPLICATION)
			.hasSize(3);
	}

	@Test
	void revokeHttpSessionClosesTheConnectionsOfThatSession() {
		Browser browser = new Browser(this.port);
		browser.login("carol");
		Browser other = new Browser(this.port);
		other.login("carol");
		try (LiveTestClient client = browser.connect(); LiveTestClient kept = other.connect()) {
			this.revocations.revokeHttpSession(browser.cookie("JSESSIONID"));
			assertRevoked(client, Duration.ofSeconds(1));
			assertStillServed(kept, "carol");
		}
	}

	@Test
	void anHttpSessionInvalidatedByTheApplicationClosesItsSockets() {
		Browser browser = new Browser(this.port);
		browser.login("admin");
		try (LiveTestClient client = browser.connect()) {
			assertThat(browser.get("/test/invalidate").statusCode()).isEqualTo(200);
			assertRevoked(client, Duration.ofSeconds(1));
		}
		LiveConnectionRevokedEvent revoked = this.events.await(LiveConnectionRevokedEvent.class,
				(event) -> "admin".equals(event.getUserId()));
		assertThat(revoked.getReason()).isEqualTo(RevocationReason.HTTP_SESSION_ENDED);
	}

}
