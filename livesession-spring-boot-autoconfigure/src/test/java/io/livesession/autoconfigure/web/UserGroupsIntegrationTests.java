package io.livesession.autoconfigure.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawHandshake;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authenticated users with Spring Security: one group per user, the origin check, connect
 * hooks.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class UserGroupsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	static String basic(String user) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + LiveTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private LiveTestClient connect(String user, Map<String, String> extra) {
		Map<String, String> headers = new java.util.HashMap<>(extra);
		headers.put("Authorization", basic(user));
		return LiveTestClient.connect(URI.create("ws://127.0.0.1:" + this.port + "/live"), headers);
	}

	@Test
	void aliceConnectionsShareStateAndBobIsIsolated() {
		try (LiveTestClient alice1 = connect("alice", Map.of());
				LiveTestClient alice2 = connect("alice", Map.of());
				LiveTestClient bob = connect("bob", Map.of())) {
			JsonNode hello = alice1.next("hello");
			assertThat(hello.get("userId").asString()).isEqualTo("alice");
			alice2.next("hello");
			assertThat(bob.next("hello").get("userId").asString()).isEqualTo("bob");
			alice1.action("increment", null, "1");
			assertThat(alice2.next("state").at("/state/counter/count").asInt()).isEqualTo(1);
			bob.action("whoami", null, "w");
			JsonNode whoami = bob.next("reply");
			assertThat(whoami.at("/data/groupId").asString()).isEqualTo("user:bob");
			assertThat(whoami.at("/data/principal").asString()).isEqualTo("bob");
			assertThat(whoami.at("/data/authorities").toString()).contains("ROLE_USER");
			assertThat(bob.poll(Duration.ofMillis(300))).as("bob never sees alice's state").isNull();
			assertThat(this.registry.findByUser("alice")).hasSize(2);
			assertThat(this.registry.findByUser("bob")).hasSize(1);
		}
	}

	@Test
	void theSameBrowserAnonymousAndLoggedInUsesDifferentGroups() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient anonymous = LiveTestClient.connect(this.port, cookie);
				LiveTestClient user = connect("alice", Map.of("Cookie", cookie))) {
			anonymous.next("hello");
			user.next("hello");
			anonymous.action("whoami", null, "a");
			user.action("whoami", null, "u");
			assertThat(anonymous.next("reply").at("/data/groupId").asString()).startsWith("anon:");
			assertThat(user.next("reply").at("/data/groupId").asString()).isEqualTo("user:alice");
		}
	}

	@Test
	void aCrossOriginHandshakeGets403AndRegistersNothing() {
		int before = this.registry.getConnectionCount();
		RawHandshake.Response response = RawHandshake.send(this.port, "/live",
				Map.of("Origin", "https://evil.example", "Authorization", basic("alice")));
		assertThat(response.status()).isEqualTo(403);
		assertThat(this.registry.getConnectionCount()).isEqualTo(before);
	}

	@Test
	void aSameOriginHandshakeOrOneWithoutOriginIsAccepted() {
		assertThat(RawHandshake.send(this.port, "/live", Map.of("Origin", "http://127.0.0.1:" + this.port)).status())
			.isEqualTo(101);
		assertThat(RawHandshake.send(this.port, "/live", Map.of()).status()).isEqualTo(101);
	}

	@Test
	void aConnectHookCanRejectWith403AndRegistersNothing() {
		int before = this.registry.getConnectionCount();
		RawHandshake.Response response = RawHandshake.send(this.port, "/live", Map.of("X-Reject", "no-tenant"));
		assertThat(response.status()).isEqualTo(403);
		assertThat(this.registry.getConnectionCount()).isEqualTo(before);
	}

	@Test
	void valuesSetByAConnectHookAreVisibleToHandlersAndThroughTheRegistry() {
		try (LiveTestClient client = connect("alice", Map.of("X-Tenant", "acme"))) {
			String id = client.next("hello").get("connectionId").asString();
			client.action("whoami", null, "w");
			assertThat(client.next("reply").at("/data/tenant").asString()).isEqualTo("acme");
			LiveConnection connection = this.registry.find(id);
			assertThat(connection).isNotNull();
			assertThat(connection.getAttribute("tenant")).isEqualTo("acme");
			assertThat(connection.getAttributeNames()).containsExactly("tenant");
		}
	}

	@Test
	void aClosedConnectionLeavesTheRegistry() {
		String id;
		try (LiveTestClient client = connect("bob", Map.of())) {
			id = client.next("hello").get("connectionId").asString();
			assertThat(this.registry.find(id)).isNotNull();
		}
		long deadline = System.currentTimeMillis() + 5000;
		while (this.registry.find(id) != null && System.currentTimeMillis() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.registry.find(id)).isNull();
	}

}
