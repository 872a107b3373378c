package io.livesession.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Topics;
import io.livesession.autoconfigure.web.ClusterTopicRecoveryIntegrationTests.Position;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisClusterTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topics on two instances and a three-master Redis Cluster: each topic's history script
 * is single-slot and its publications reach both instances in offset order, and the
 * presence of a topic spans both.
 */
class RedisClusterModeTopicsIntegrationTests {

	static RedisClusterTestServer redis;

	LiveCluster cluster;

	ConfigurableApplicationContext one;

	ConfigurableApplicationContext two;

	@BeforeAll
	static void startRedis() {
		redis = RedisClusterTestServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void startInstances() {
		this.cluster = new LiveCluster(redis);
		this.one = this.cluster.start(ClusterTopicRecoveryIntegrationTests.RecoveryApplication.class,
				"livesession.rate-limit.enabled=false", "livesession.topics.recoverable=room:*");
		this.two = this.cluster.start(ClusterTopicRecoveryIntegrationTests.RecoveryApplication.class,
				"livesession.rate-limit.enabled=false", "livesession.topics.recoverable=room:*");
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	@Test
	void publicationsOfTopicsInDifferentSlotsReachBothInstancesInOffsetOrderAndAreRecovered() {
		List<String> topics = List.of("room:x", "room:y", "room:z");
		try (LiveTestClient onOne = LiveCluster.connectUser(this.one, "alice");
				LiveTestClient onTwo = LiveCluster.connectUser(this.two, "bob")) {
			onOne.next("hello");
			onTwo.next("hello");
			for (String topic : topics) {
				ClusterTopicRecoveryIntegrationTests.subscribe(onOne, topic, null);
				ClusterTopicRecoveryIntegrationTests.subscribe(onTwo, topic, null);
			}
			for (int i = 0; i < 30; i++) {
				ConfigurableApplicationContext from = (i % 2 == 0) ? this.one : this.two;
				from.getBean(Broadcaster.class).send(BroadcastTarget.topic(topics.get(i % 3)), Map.of("n", i));
			}
			for (LiveTestClient client : List.of(onOne, onTwo)) {
				List<String> received = new ArrayList<>();
				for (int i = 0; i < 30; i++) {
					JsonNode publication = client.next("publication");
					received.add(publication.get("topic").asString() + "@" + publication.get("offset").asLong() + "="
							+ publication.get("data").get("n").asInt());
				}
				List<String> expected = new ArrayList<>();
				for (int i = 0; i < 30; i++) {
					expected.add(topics.get(i % 3) + "@" + (i / 3 + 1) + "=" + i);
				}
				// In offset order within each topic; the topics' slots may interleave.
				for (String topic : topics) {
					assertThat(received.stream().filter((publication) -> publication.startsWith(topic + "@")))
						.containsExactlyElementsOf(expected.stream()
							.filter((publication) -> publication.startsWith(topic + "@"))
							.toList());
				}
			}
		}
		// A client that saw room:x up to offset 6 comes back on the other instance.
		Position last;
		try (LiveTestClient back = LiveCluster.connectUser(this.two, "alice")) {
			back.next("hello");
			JsonNode position = ClusterTopicRecoveryIntegrationTests.subscribe(back, "room:x", null);
			assertThat(position.get("offset").asLong()).isEqualTo(10);
			last = new Position(6, position.get("epoch").asString());
		}
		try (LiveTestClient again = LiveCluster.connectUser(this.one, "alice")) {
			again.next("hello");
			JsonNode reply = ClusterTopicRecoveryIntegrationTests.subscribe(again, "room:x", last);
			assertThat(reply.get("recovered").asBoolean()).isTrue();
			for (long offset = last.offset() + 1; offset <= 10; offset++) {
				assertThat(again.next("publication").get("offset").asLong()).isEqualTo(offset);
			}
		}
	}

	@Test
	void presenceOfATopicCountsBothInstances() throws Exception {
		try (LiveTestClient onOne = LiveCluster.connectUser(this.one, "alice");
				LiveTestClient onTwo = LiveCluster.connectUser(this.two, "bob")) {
			onOne.next("hello");
			onTwo.next("hello");
			ClusterTopicRecoveryIntegrationTests.subscribe(onOne, "room:p", null);
			ClusterTopicRecoveryIntegrationTests.subscribe(onTwo, "room:p", null);
			Topics topics = this.one.getBean(Topics.class);
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (topics.getMemberCount("room:p") < 2 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(topics.getMemberCount("room:p")).isEqualTo(2);
			assertThat(topics.getMemberUserIds("room:p")).containsExactlyInAnyOrder("alice", "bob");
		}
	}

}
