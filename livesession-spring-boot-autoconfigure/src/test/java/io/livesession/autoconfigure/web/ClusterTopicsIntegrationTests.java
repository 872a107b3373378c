package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.event.TopicPresenceEvent;
import io.livesession.redis.RedisDeliveryChannel;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Topics on two instances sharing one Redis: a broadcast to a topic reaches exactly its
 * members on both instances, once each, and the presence of a topic spans both.
 */
class ClusterTopicsIntegrationTests {

	private static final List<String> USERS = List.of("alice", "bob", "admin");

	private static final List<String> TOPICS = List.of("room:a", "room:b");

	private static final Duration WAIT = Duration.ofSeconds(10);

	static RedisTestServer redis;

	LiveCluster cluster;

	List<ConfigurableApplicationContext> instances;

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
		this.instances = List.of(this.cluster.start("livesession.rate-limit.enabled=false"),
				this.cluster.start("livesession.rate-limit.enabled=false"));
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	@Test
	void broadcastsToATopicReachExactlyItsMembersOnEitherInstanceOnceEachWhateverTheJoinsLeavesAndCloses() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		List<Member> members = new ArrayList<>();
		for (ConfigurableApplicationContext instance : this.instances) {
			for (String user : USERS) {
				members.add(Member.connect(instance, user));
			}
		}
		int deliveries = 0;
		int outside = 0;
		for (int round = 0; deliveries < 10_000; round++) {
			change(members, random);
			// Every broadcast of a round from one instance, the fence last: a client
			// receives them in the order they were published.
			ConfigurableApplicationContext from = this.instances.get(random.nextInt(2));
			Broadcaster broadcaster = from.getBean(Broadcaster.class);
			List<String> sent = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				String topic = (i < 5) ? "room:a" : "room:b";
				String id = round + "." + i;
				broadcaster.send(BroadcastTarget.topic(topic), Map.of("id", id));
				sent.add(topic + " " + id);
			}
			broadcaster.send(BroadcastTarget.all(), Map.of("type", "fence", "round", round));
			for (Member member : members) {
				List<String> received = member.untilFence(round);
				List<String> expected = sent.stream()
					.filter((publication) -> member.joined.contains(publication.split(" ")[0]))
					.toList();
				assertThat(received)
					.as("seed %d, round %d, %s on %s in %s", seed, round, member.user,
							LiveCluster.port(member.instance), member.joined)
					.containsExactlyElementsOf(expected);
				deliveries += (int) received.stream().filter((publication) -> publication.startsWith("room:a")).count();
				outside += received.size() - expected.size();
			}
		}
		assertThat(outside).isZero();
		members.forEach(Member::close);
		for (ConfigurableApplicationContext instance : this.instances) {
			// Leaving and closing leave no index entry and no topic subscription behind.
			await().atMost(WAIT).until(() -> instance.getBean(Topics.class).getTopicNames().isEmpty());
			await().atMost(WAIT).until(() -> instance.getBean(RedisDeliveryChannel.class).getRoutedChannelCount() == 0);
		}
	}

	private static void change(List<Member> members, Random random) {
		int index = random.nextInt(members.size());
		Member member = members.get(index);
		String topic = TOPICS.get(random.nextInt(TOPICS.size()));
		int action = random.nextInt(10);
		if (action < 5) {
			assertThat(member.topics().join(member.connection(), topic)).isEqualTo(member.joined.add(topic));
		}
		else if (action < 8) {
			assertThat(member.topics().leave(member.connection(), topic)).isEqualTo(member.joined.remove(topic));
		}
		else if (action < 9) {
			// Every tab of the user on that instance at once.
			int joined = member.topics().join(BroadcastTarget.users(member.user), topic);
			List<Member> tabs = members.stream()
				.filter((other) -> other.instance == member.instance && other.user.equals(member.user))
				.toList();
			assertThat(joined).isEqualTo((int) tabs.stream().filter((tab) -> tab.joined.add(topic)).count());
		}
		else {
			member.close();
			members.set(index, Member.connect(member.instance, member.user));
		}
	}

	@Test
	void presenceOfATopicCountsBothInstancesAndEachUserJoinsAndLeavesOnce() {
		List<List<String>> events = new ArrayList<>();
		for (ConfigurableApplicationContext instance : this.instances) {
			List<String> received = new CopyOnWriteArrayList<>();
			instance.addApplicationListener((ApplicationListener<TopicPresenceEvent>) (event) -> received
				.add(event.getUserId() + (event.isJoined() ? "+" : "-") + event.getTopic()));
			events.add(received);
		}
		ConfigurableApplicationContext a = this.instances.get(0);
		ConfigurableApplicationContext b = this.instances.get(1);
		Member aliceOnA = Member.connect(a, "alice");
		Member secondAliceOnA = Member.connect(a, "alice");
		Member aliceOnB = Member.connect(b, "alice");
		Member bobOnB = Member.connect(b, "bob");
		for (Member member : List.of(aliceOnA, secondAliceOnA, aliceOnB, bobOnB)) {
			member.topics().join(member.connection(), "room:a");
		}
		for (ConfigurableApplicationContext instance : this.instances) {
			Topics topics = instance.getBean(Topics.class);
			await().atMost(WAIT).until(() -> topics.getMemberCount("room:a") == 4);
			assertThat(topics.getMemberUserIds("room:a")).containsExactlyInAnyOrder("alice", "bob");
		}
		aliceOnA.topics().leave(aliceOnA.connection(), "room:a");
		secondAliceOnA.close();
		await().atMost(WAIT).until(() -> b.getBean(Topics.class).getMemberCount("room:a") == 2);
		assertThat(b.getBean(Topics.class).getMemberUserIds("room:a")).as("alice is still in on b")
			.containsExactlyInAnyOrder("alice", "bob");
		aliceOnB.close();
		bobOnB.topics().leave(bobOnB.connection(), "room:a");
		for (ConfigurableApplicationContext instance : this.instances) {
			Topics topics = instance.getBean(Topics.class);
			await().atMost(WAIT).until(() -> topics.getMemberCount("room:a") == 0);
			assertThat(topics.getMemberUserIds("room:a")).isEmpty();
		}
		List<String> expected = List.of("alice+room:a", "bob+room:a", "alice-room:a", "bob-room:a");
		for (List<String> received : events) {
			await().atMost(WAIT).untilAsserted(() -> assertThat(received).hasSameSizeAs(expected));
			assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(received.indexOf("alice+room:a")).isLessThan(received.indexOf("alice-room:a"));
		}
		aliceOnA.close();
	}

	/**
	 * A client connected to an instance, with the topics the test joined it to.
	 */
	private record Member(ConfigurableApplicationContext instance, String user, LiveTestClient client,
			String connectionId, Set<String> joined) {

		static Member connect(ConfigurableApplicationContext instance, String user) {
			LiveTestClient client = LiveCluster.connectUser(instance, user);
			String connectionId = client.next("hello").get("connectionId").asString();
			return new Member(instance, user, client, connectionId, new HashSet<>());
		}

		Topics topics() {
			return this.instance.getBean(Topics.class);
		}

		LiveConnection connection() {
			return this.instance.getBean(ConnectionRegistry.class)
				.findAll()
				.stream()
				.filter((connection) -> connection.getId().equals(this.connectionId))
				.findFirst()
				.orElseThrow();
		}

		/** The publications received before the fence of a round, as topic and id. */
		List<String> untilFence(int round) {
			List<String> publications = new ArrayList<>();
			while (true) {
				JsonNode frame = this.client.next(WAIT);
				String type = frame.path("type").asString();
				if (type.equals("fence") && frame.get("round").asInt() == round) {
					return publications;
				}
				if (type.equals("publication")) {
					publications.add(frame.get("topic").asString() + " " + frame.get("data").get("id").asString());
				}
			}
		}

		void close() {
			this.client.close();
		}

	}

}
