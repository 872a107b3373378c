package io.livesession.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.livesession.ConnectionRegistry;
import io.livesession.GroupIdPage;
import io.livesession.SessionGroups;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster-wide group operations on two instances sharing one Redis: any instance pages
 * through every group, wherever it was created, and clearing them from one instance
 * reaches the open connections of both.
 */
class ClusterGroupsIntegrationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	static RedisTestServer redis;

	LiveCluster cluster;

	ConfigurableApplicationContext one;

	ConfigurableApplicationContext two;

	@BeforeAll
	static void startRedis() {
		redis = RedisTestServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void startInstances() {
		this.cluster = new LiveCluster(redis);
		this.one = this.cluster.start("management.endpoints.web.exposure.include=livesession");
		this.two = this.cluster.start("management.endpoints.web.exposure.include=livesession");
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	@Test
	void oneInstancePagesThroughAThousandGroupsOfBothAndClearsThemForEveryConnection() throws Exception {
		SessionGroups groupsOne = this.one.getBean(SessionGroups.class);
		SessionGroups groupsTwo = this.two.getBean(SessionGroups.class);
		for (int i = 0; i < 500; i++) {
			int n = i;
			groupsOne.modify("bulk:one-" + i, (state) -> state.setAttribute("n", n));
			groupsTwo.modify("bulk:two-" + i, (state) -> state.setAttribute("n", n));
		}
		List<LiveTestClient> clients = new ArrayList<>();
		try {
			// Anonymous browsers (a group each) and one user on both instances.
			for (ConfigurableApplicationContext instance : List.of(this.one, this.two)) {
				clients.add(LiveTestClient.connect(LiveCluster.port(instance), null));
				clients.add(LiveTestClient.connect(LiveCluster.port(instance), null));
				clients.add(LiveTestClient.connect(URI.create("ws://127.0.0.1:" + LiveCluster.port(instance) + "/live"),
						Map.of("Authorization", UserGroupsIntegrationTests.basic("alice"))));
			}
			for (LiveTestClient client : clients) {
				client.next("hello");
			}
			Set<String> connectedGroups = new HashSet<>(this.one.getBean(ConnectionRegistry.class).getGroupIds());
			connectedGroups.addAll(this.two.getBean(ConnectionRegistry.class).getGroupIds());
			assertThat(connectedGroups).hasSize(5).contains("user:alice");

			Set<String> ids = allIds(groupsOne, 5);
			assertThat(ids).hasSize(1005).containsAll(connectedGroups).contains("bulk:one-0", "bulk:two-499");
			assertThat(allIdsOverActuator(LiveCluster.port(this.two))).isEqualTo(ids);

			for (String id : ids) {
				groupsOne.delete(id);
			}
			for (LiveTestClient client : clients) {
				JsonNode state = client.next("state");
				assertThat(state.get("version").asLong()).isZero();
				assertThat(state.get("full").asBoolean()).isTrue();
				assertThat(state.get("state").size()).as("the state after the clear").isZero();
			}
			assertThat(groupsTwo.get("bulk:one-0").getVersion()).isZero();
			assertThat(groupsTwo.get("bulk:one-0").getAttributeNames()).isEmpty();
			assertThat(allIds(groupsTwo, 1)).doesNotContain("bulk:one-0", "bulk:two-0");
		}
		finally {
			clients.forEach(LiveTestClient::close);
		}
	}

	private static Set<String> allIds(SessionGroups groups, int minimumPages) {
		Set<String> ids = new HashSet<>();
		String cursor = GroupIdPage.FIRST;
		int pages = 0;
		while (cursor != null) {
			GroupIdPage page = groups.findIds(cursor, 100);
			ids.addAll(page.ids());
			cursor = page.nextCursor();
			pages++;
		}
		assertThat(pages).as("pages of about 100").isGreaterThanOrEqualTo(minimumPages);
		return ids;
	}

	private static Set<String> allIdsOverActuator(int port) throws Exception {
		Set<String> ids = new HashSet<>();
		String cursor = "0";
		while (cursor != null) {
			HttpResponse<String> response = http.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + port + "/actuator/livesession/groups?size=200&cursor=" + cursor))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode page = mapper.readTree(response.body());
			page.get("groups").forEach((group) -> ids.add(group.get("id").asString()));
			cursor = page.get("next").isNull() ? null : page.get("next").asString();
		}
		return ids;
	}

}
