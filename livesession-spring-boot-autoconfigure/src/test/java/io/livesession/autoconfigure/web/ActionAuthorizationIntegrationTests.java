package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.livesession.SessionGroup;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @PreAuthorize} on {@code @LiveAction} methods: Spring Security's method security
 * decides, with the connection's authentication as the security context.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ActionAuthorizationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	private LiveTestClient user(String name) {
		LiveTestClient client = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + this.port + "/live"),
				Map.of("Authorization", UserGroupsIntegrationTests.basic(name)));
		assertThat(client.next("hello").get("userId").asString()).isEqualTo(name);
		return client;
	}

	@Test
	void anAuthenticatedUserWithoutTheRoleIsForbiddenAndNothingChanges() {
		try (LiveTestClient alice = user("alice"); LiveTestClient aliceTab = user("alice")) {
			SessionGroup before = this.groups.get("user:alice");
			alice.action("adminReset", null, "r1");
			JsonNode error = alice.next();
			assertThat(error.get("type").asString()).isEqualTo("error");
			assertThat(error.get("code").asString()).isEqualTo("forbidden");
			assertThat(error.get("ref").asString()).isEqualTo("r1");
			assertThat(error.get("message").asString()).doesNotContain("hasRole").doesNotContain("ADMIN");
			SessionGroup after = this.groups.get("user:alice");
			assertThat(after.getVersion()).isEqualTo(before.getVersion());
			assertThat(after.getAttribute("counter", Map.class)).isEqualTo(before.getAttribute("counter", Map.class));
			assertThat(aliceTab.poll(Duration.ofMillis(300))).as("no state frame").isNull();
			alice.action("echo", "still", "r2");
			assertThat(alice.next("reply").get("data").asString()).as("still serving").isEqualTo("still");
		}
	}

	@AfterEach
	void forgetTheAdminGroup() {
		// The application context is shared with other test classes.
		this.groups.delete("user:admin");
	}

	@Test
	void aUserWithTheRoleRunsTheAction() {
		try (LiveTestClient admin = user("admin")) {
			long version = this.groups.get("user:admin").getVersion();
			admin.action("adminReset", null, "r1");
			assertThat(admin.next("reply").get("data").asInt()).isEqualTo(100);
			assertThat(this.groups.get("user:admin").getVersion()).isEqualTo(version + 1);
			assertThat(this.groups.get("user:admin").getAttribute("counter", Map.class)).containsEntry("count", 100);
		}
	}

	@Test
	void anAnonymousConnectionIsUnauthorizedAndNothingChanges() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		try (LiveTestClient anonymous = LiveTestClient.connect(this.port, "LIVESESSION=" + cookie)) {
			anonymous.next("hello");
			anonymous.action("adminReset", null, "r1");
			JsonNode error = anonymous.next();
			assertThat(error.get("code").asString()).isEqualTo("unauthorized");
			assertThat(error.get("ref").asString()).isEqualTo("r1");
			anonymous.action("securityContext", null, "r2");
			assertThat(anonymous.next().get("code").asString()).isEqualTo("unauthorized");
			assertThat(this.groups.get(groupId).getVersion()).isZero();
			assertThat(this.groups.get(groupId).getAttribute("counter", Map.class)).containsEntry("count", 0);
			anonymous.action("increment", null, "r3");
			assertThat(anonymous.next("reply").at("/data/count").asInt()).as("still serving").isEqualTo(1);
		}
	}

	@Test
	void theHandlerSeesTheConnectionsAuthenticationInTheSecurityContext() {
		try (LiveTestClient alice = user("alice"); LiveTestClient bob = user("bob")) {
			alice.action("securityContext", null, "a");
			bob.action("securityContext", null, "b");
			assertThat(alice.next("reply").get("data").asString()).isEqualTo("alice");
			assertThat(bob.next("reply").get("data").asString()).isEqualTo("bob");
		}
	}

}
