package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livesession.event.RevocationReason;
import io.livesession.SessionGroups;
import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login in a browser: the user's group is never the anonymous group, the anonymous
 * state stays behind (no merge handler here), and the browser's earlier connections are
 * closed with 1008 so that its clients come back as the user.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LoginTransitionIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Autowired
	LoginTestApplication.RecordedEvents events;

	static String groupOf(LiveTestClient client) {
		client.action("whoami", null, "whoami");
		return client.next("reply").at("/data/groupId").asString();
	}

	@Test
	void afterLoginTheBrowserJoinsTheUsersGroupWhichIsNotItsAnonymousGroup() {
		Browser browser = new Browser(this.port);
		browser.get("/login");
		String anonymousGroup;
		try (LiveTestClient anonymous = browser.connect()) {
			anonymous.action("put", Map.of("cart", List.of("apple")), "put");
			anonymous.next("reply");
			anonymousGroup = groupOf(anonymous);
			assertThat(anonymousGroup).startsWith("anon:");
			browser.login("alice");
			RevocationIntegrationTests.assertRevoked(anonymous, Duration.ofSeconds(1));
		}
		try (LiveTestClient user = browser.connect()) {
			JsonNode hello = user.getReceived().get(0);
			assertThat(hello.get("userId").asString()).isEqualTo("alice");
			assertThat(groupOf(user)).isEqualTo("user:alice").isNotEqualTo(anonymousGroup);
			assertThat(hello.at("/state/cart").isMissingNode()).as("nothing crosses a login without a handler")
				.isTrue();
		}
		assertThat(this.groups.get(anonymousGroup).getAttributeNode("cart")).as("the anonymous group is left as it was")
			.isNotNull();
		LiveConnectionRevokedEvent revoked = this.events.await(LiveConnectionRevokedEvent.class,
				(event) -> event.getConnection().getGroupId().equals(anonymousGroup));
		assertThat(revoked.getReason()).isEqualTo(RevocationReason.LOGIN);
		assertThat(revoked.getUserId()).isNull();
	}

	@Test
	void aLoginLeavesOtherBrowsersAnonymousConnectionsOpen() {
		Browser other = new Browser(this.port);
		other.get("/login");
		Browser browser = new Browser(this.port);
		try (LiveTestClient bystander = other.connect()) {
			browser.login("bob");
			assertThat(bystander.poll(Duration.ofMillis(300))).isNull();
			assertThat(bystander.isClosed()).isFalse();
			assertThat(groupOf(bystander)).startsWith("anon:");
		}
	}

	@Test
	void aLoginAsAnotherUserClosesTheConnectionsOfTheBrowsersPreviousLogin() {
		Browser browser = new Browser(this.port);
		browser.login("carol");
		try (LiveTestClient asCarol = browser.connect()) {
			browser.login("admin");
			RevocationIntegrationTests.assertRevoked(asCarol, Duration.ofSeconds(1));
		}
		try (LiveTestClient asAdmin = browser.connect()) {
			assertThat(groupOf(asAdmin)).isEqualTo("user:admin");
		}
	}

	@Test
	void aRepeatedLoginOfTheSameUserKeepsTheirConnections() {
		Browser browser = new Browser(this.port);
		browser.login("bob");
		try (LiveTestClient asBob = browser.connect()) {
			browser.login("bob");
			assertThat(asBob.poll(Duration.ofMillis(300))).isNull();
			RevocationIntegrationTests.assertStillServed(asBob, "bob");
		}
	}

}
