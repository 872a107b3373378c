package io.livesession.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code livesession} Actuator endpoint and health indicator over HTTP.
 */
class ActuatorIntegrationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void readsCountsAndPagesOfGroupsAndDisconnectsAUserOrAConnectionWith1008() throws Exception {
		try (ConfigurableApplicationContext context = start("management.endpoints.web.exposure.include=livesession",
				"management.endpoint.livesession.access=unrestricted")) {
			int port = LiveCluster.port(context);
			String cookie = HttpBrowser.anonymousCookie(port);
			String anonymousGroup = "anon:" + AnonymousCookies.deriveId(cookie);
			try (LiveTestClient alice1 = user(port, "alice");
					LiveTestClient alice2 = user(port, "alice");
					LiveTestClient anonymous = LiveTestClient.connect(port, "LIVESESSION=" + cookie)) {
				List.of(alice1, alice2, anonymous).forEach((client) -> client.next("hello"));

				JsonNode counts = get(port, "/actuator/livesession", 200);
				assertThat(counts.get("connections").asInt()).isEqualTo(3);
				assertThat(counts.get("groups").asInt()).isEqualTo(2);
				assertThat(counts.get("users").asInt()).isEqualTo(1);
				assertThat(counts.has("cluster")).isFalse();

				JsonNode first = get(port, "/actuator/livesession/groups?page=0&size=1", 200);
				assertThat(first.get("total").asInt()).isEqualTo(2);
				assertThat(first.get("page").asInt()).isZero();
				assertThat(first.get("size").asInt()).isOne();
				assertThat(first.get("groups").toString())
					.isEqualTo("[{\"id\":\"" + anonymousGroup + "\",\"connections\":1}]");
				JsonNode second = get(port, "/actuator/livesession/groups?page=1&size=1", 200);
				assertThat(second.get("groups").toString()).isEqualTo("[{\"id\":\"user:alice\",\"connections\":2}]");
				assertThat(get(port, "/actuator/livesession/groups?page=2&size=1", 200).get("groups").size()).isZero();
				assertThat(get(port, "/actuator/livesession/groups", 200).get("groups").size()).isEqualTo(2);

				JsonNode aliceConnections = get(port, "/actuator/livesession/users/alice", 200).get("connections");
				assertThat(aliceConnections.size()).isEqualTo(2);
				assertThat(aliceConnections.get(0).get("groupId").asString()).isEqualTo("user:alice");
				String anonymousId = get(port, "/actuator/livesession/groups/" + anonymousGroup, 200)
					.at("/connections/0/id")
					.asString();

				// Bad input: a defined answer, nothing changed
				get(port, "/actuator/livesession/groups?size=0", 400);
				get(port, "/actuator/livesession/groups?page=-1", 400);
				get(port, "/actuator/livesession/groups?size=501", 400);
				get(port, "/actuator/livesession/things", 400);
				get(port, "/actuator/livesession/things/x", 400);
				assertThat(post(port, "/actuator/livesession/things/x").statusCode()).isEqualTo(400);
				assertThat(get(port, "/actuator/livesession", 200).get("connections").asInt()).isEqualTo(3);

				HttpResponse<String> users = post(port, "/actuator/livesession/users/alice");
				assertThat(users.statusCode()).isEqualTo(200);
				assertThat(mapper.readTree(users.body()).get("disconnected").asInt()).isEqualTo(2);
				for (LiveTestClient alice : List.of(alice1, alice2)) {
					assertThat(alice.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode()).isEqualTo(1008);
					assertThat(alice.awaitClose(Duration.ofSeconds(1)).getReasonPhrase()).isEqualTo("revoked");
				}
				assertThat(anonymous.isClosed()).isFalse();

				HttpResponse<String> one = post(port, "/actuator/livesession/connections/" + anonymousId);
				assertThat(mapper.readTree(one.body()).get("disconnected").asInt()).isOne();
				assertThat(anonymous.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode()).isEqualTo(1008);
				HttpResponse<String> none = post(port, "/actuator/livesession/connections/no-such-connection");
				assertThat(mapper.readTree(none.body()).get("disconnected").asInt()).isZero();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> get(port, "/actuator/livesession", 200).get("connections").asInt() == 0);
			}
		}
	}

	@Test
	void theEndpointIsNotExposedOverHttpUnlessActuatorIsToldTo() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = LiveCluster.port(context);
			get(port, "/actuator/livesession", 404);
			assertThat(post(port, "/actuator/livesession/users/alice").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void inMemoryModeHasNoRedisHealthIndicator() throws Exception {
		try (ConfigurableApplicationContext context = start("management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-components=always")) {
			JsonNode health = get(LiveCluster.port(context), "/actuator/health", 200);
			assertThat(health.path("components").has("livesession")).isFalse();
		}
	}

	@Test
	void healthGoesDownWhenRedisStopsAndUpWhenItIsBack() throws Exception {
		try (RedisTestServer redis = RedisTestServer.start(); LiveCluster cluster = new LiveCluster(redis)) {
			ConfigurableApplicationContext context = cluster.start("management.endpoints.web.exposure.include=health",
					"management.endpoint.health.show-details=always");
			int port = LiveCluster.port(context);
			JsonNode up = get(port, "/actuator/health/livesession", 200);
			assertThat(up.get("status").asString()).isEqualTo("UP");
			assertThat(up.at("/details/store").asString()).isEqualTo("redis");

			redis.stop();
			List<Integer> statuses = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				statuses.add(status(port, "/actuator/health/livesession"));
				return statuses.get(statuses.size() - 1) == 503;
			});
			assertThat(get(port, "/actuator/health/livesession", 503).get("status").asString()).isEqualTo("DOWN");

			redis.restart();
			await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "/actuator/health/livesession") == 200);
			assertThat(get(port, "/actuator/health/livesession", 200).get("status").asString()).isEqualTo("UP");
		}
	}

	@Test
	void theEndpointIsReadOnlyUnlessWritesAreOptedIn() throws Exception {
		try (ConfigurableApplicationContext context = start("management.endpoints.web.exposure.include=livesession")) {
			int port = LiveCluster.port(context);
			try (LiveTestClient alice = user(port, "alice")) {
				String connectionId = alice.next("hello").get("connectionId").asString();
				assertThat(get(port, "/actuator/livesession", 200).get("connections").asInt()).isEqualTo(1);
				assertThat(post(port, "/actuator/livesession/connections/" + connectionId).statusCode())
					.as("no write operation by default")
					.isIn(404, 405);
				assertThat(post(port, "/actuator/livesession/users/alice").statusCode()).isIn(404, 405);
				HttpResponse<String> erase = http.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/livesession/users/alice"))
					.DELETE()
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(erase.statusCode()).isIn(404, 405);
				alice.action("echo", "still", "r");
				assertThat(alice.next("reply").get("data").asString()).isEqualTo("still");
			}
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(LiveTestApplication.class).properties(all.toArray(String[]::new)).run();
	}

	private static LiveTestClient user(int port, String name) {
		return LiveTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/live"),
				Map.of("Authorization", basic(name)));
	}

	private static String basic(String name) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((name + ":" + LiveTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static JsonNode get(int port, String path, int expectedStatus) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(expectedStatus);
		return response.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(response.body());
	}

	private static int status(int port, String path) throws Exception {
		return http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static HttpResponse<String> post(int port, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
