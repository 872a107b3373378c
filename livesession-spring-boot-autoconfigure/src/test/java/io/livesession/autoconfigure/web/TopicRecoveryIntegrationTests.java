package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.test.LiveTestClient;
import io.livesession.topic.TopicAuthorizer;
import io.livesession.topic.TopicListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recovery of a recoverable topic on one instance, with the shipped history size (100)
 * and time to live: a client that missed publications gets exactly those, in order, after
 * the reply, also while publications keep coming; beyond the history or in another epoch
 * it is told {@code recovered: false}.
 */
@SpringBootTest(classes = { LiveTestApplication.class, TopicRecoveryIntegrationTests.Feeds.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "livesession.topics.recoverable=feed:*")
class TopicRecoveryIntegrationTests {

	private static final AtomicInteger topics = new AtomicInteger();

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	Topics topicIndex;

	private final List<LiveTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(LiveTestClient::close);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.topicIndex.getTopicNames()).isEmpty());
	}

	@Test
	void aClientThatMissedFiftyPublicationsGetsExactlyThoseInOrderAfterTheReply() {
		String topic = newTopic();
		LiveTestClient alice = connect();
		TopicsIntegrationTests.subscribe(alice, topic, "first", null, null);
		JsonNode first = alice.next("reply");
		assertThat(first.at("/data/offset").asLong()).isZero();
		assertThat(first.at("/data/recovered").asBoolean(true)).isFalse();
		String epoch = first.at("/data/epoch").asString();
		assertThat(epoch).isNotBlank();
		publish(topic, 1, 5);
		JsonNode last = null;
		for (int i = 1; i <= 5; i++) {
			last = alice.next("publication");
			assertThat(last.get("offset").asLong()).isEqualTo(i);
			assertThat(last.get("epoch").asString()).isEqualTo(epoch);
		}
		LiveTestClient again = missWhileAway(alice, topic, 6, 55);
		TopicsIntegrationTests.subscribe(again, topic, "again", last.get("offset").asLong(), epoch);
		JsonNode reply = again.next();
		assertThat(reply.get("type").asString()).as("the reply comes first").isEqualTo("reply");
		assertThat(reply.at("/data/recovered").asBoolean()).isTrue();
		assertThat(reply.at("/data/epoch").asString()).isEqualTo(epoch);
		assertThat(reply.at("/data/offset").asLong()).as("the client's own").isEqualTo(5);
		for (int i = 6; i <= 55; i++) {
			JsonNode publication = again.next();
			assertThat(publication.get("type").asString()).isEqualTo("publication");
			assertThat(publication.get("offset").asLong()).isEqualTo(i);
			assertThat(publication.at("/data/n").asInt()).isEqualTo(i);
		}
		publish(topic, 56, 56);
		assertThat(again.next().get("offset").asLong()).as("no duplicate, the next live one").isEqualTo(56);
	}

	@Test
	void aClientThatMissedMoreThanTheHistoryHoldsIsToldItWasNotRecovered() {
		String topic = newTopic();
		LiveTestClient alice = connect();
		TopicsIntegrationTests.subscribe(alice, topic, "first", null, null);
		String epoch = alice.next("reply").at("/data/epoch").asString();
		LiveTestClient again = missWhileAway(alice, topic, 1, 101);
		TopicsIntegrationTests.subscribe(again, topic, "again", 0, epoch);
		JsonNode reply = again.next();
		assertThat(reply.get("type").asString()).isEqualTo("reply");
		assertThat(reply.at("/data/recovered").asBoolean(true)).isFalse();
		assertThat(reply.at("/data/offset").asLong()).as("where the topic stands").isEqualTo(101);
		assertThat(reply.at("/data/epoch").asString()).isEqualTo(epoch);
		publish(topic, 102, 102);
		assertThat(again.next().get("offset").asLong()).as("nothing replayed").isEqualTo(102);
		// Exactly the history's bound is still covered.
		LiveTestClient third = connect();
		TopicsIntegrationTests.subscribe(third, topic, "third", 2, epoch);
		assertThat(third.next().at("/data/recovered").asBoolean()).isTrue();
		assertThat(third.next().get("offset").asLong()).isEqualTo(3);
	}

	@Test
	void aClientOfAnotherEpochIsToldItWasNotRecovered() {
		String topic = newTopic();
		publish(topic, 1, 3);
		LiveTestClient alice = connect();
		TopicsIntegrationTests.subscribe(alice, topic, "s", 1, "another-epoch");
		JsonNode reply = alice.next();
		assertThat(reply.at("/data/recovered").asBoolean(true)).isFalse();
		assertThat(reply.at("/data/offset").asLong()).isEqualTo(3);
		assertThat(reply.at("/data/epoch").asString()).isNotEqualTo("another-epoch");
		publish(topic, 4, 4);
		assertThat(alice.next().get("offset").asLong()).isEqualTo(4);
	}

	@Test
	void publicationsSentBetweenTheJoinAndTheReplayArriveOnceInOrderAfterIt() {
		// The listener publishes 3 more when a connection joins a feed:race- topic: after
		// the join, before the history is read and replayed.
		String topic = "feed:race-" + topics.incrementAndGet();
		LiveTestClient first = connect();
		TopicsIntegrationTests.subscribe(first, topic, "s", null, null);
		JsonNode firstReply = first.next("reply");
		String epoch = firstReply.at("/data/epoch").asString();
		// Published while it joined: a client with nothing to recover from starts where
		// the topic stood before the join and gets them after the reply.
		assertThat(firstReply.at("/data/offset").asLong()).isZero();
		assertThat(firstReply.at("/data/recovered").asBoolean(true)).isFalse();
		for (long expected = 1; expected <= 3; expected++) {
			assertThat(first.next().get("offset").asLong()).isEqualTo(expected);
		}
		publish(topic, 4, 4);
		assertThat(first.next().get("offset").asLong()).as("the next frame is the next one").isEqualTo(4);
		LiveTestClient again = missWhileAway(first, topic, 5, 10);
		TopicsIntegrationTests.subscribe(again, topic, "again", 4, epoch);
		JsonNode reply = again.next();
		assertThat(reply.get("type").asString()).isEqualTo("reply");
		assertThat(reply.at("/data/recovered").asBoolean()).isTrue();
		assertThat(reply.at("/data/offset").asLong()).isEqualTo(4);
		// 5..10 missed, 11..13 published while it recovers: replayed or held back.
		for (long expected = 5; expected <= 13; expected++) {
			assertThat(again.next().get("offset").asLong()).isEqualTo(expected);
		}
		publish(topic, 14, 14);
		assertThat(again.next().get("offset").asLong()).as("no duplicate").isEqualTo(14);
	}

	@Test
	void publicationsSentWhileClientsRecoverArriveOnceInOrderAfterTheReplay() throws Exception {
		String topic = newTopic();
		LiveTestClient first = connect();
		TopicsIntegrationTests.subscribe(first, topic, "s", null, null);
		String epoch = first.next("reply").at("/data/epoch").asString();
		first.close();
		awaitNoMembers(topic);
		AtomicBoolean publishing = new AtomicBoolean(true);
		AtomicInteger sent = new AtomicInteger();
		CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
			while (publishing.get() && sent.get() < 5000) {
				this.broadcaster.send(BroadcastTarget.topic(topic), Map.of("n", sent.incrementAndGet()));
			}
		});
		try {
			// Each client recovers from wherever the topic is while publications go on,
			// so that some arrive between its join and the end of its replay.
			List<LiveTestClient> recovering = new ArrayList<>();
			List<Long> from = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() > 0);
				long offset = Math.max(0, sent.get() - 20);
				LiveTestClient client = connect();
				TopicsIntegrationTests.subscribe(client, topic, "r" + i, offset, epoch);
				recovering.add(client);
				from.add(offset);
			}
			publishing.set(false);
			publisher.get();
			int total = sent.get();
			for (int i = 0; i < recovering.size(); i++) {
				LiveTestClient client = recovering.get(i);
				JsonNode reply = client.next();
				assertThat(reply.get("type").asString()).isEqualTo("reply");
				if (!reply.at("/data/recovered").asBoolean()) {
					// Fell out of the history while waiting: it starts from the reply.
					from.set(i, reply.at("/data/offset").asLong());
				}
				for (long expected = from.get(i) + 1; expected <= total; expected++) {
					JsonNode publication = client.next();
					assertThat(publication.get("type").asString()).isEqualTo("publication");
					assertThat(publication.get("offset").asLong()).as("client %d", i).isEqualTo(expected);
				}
				assertThat(client.poll(Duration.ofMillis(200))).as("no duplicate after the last").isNull();
			}
		}
		finally {
			publishing.set(false);
		}
	}

	/** Close a member, publish while it is away, and connect it again. */
	private LiveTestClient missWhileAway(LiveTestClient member, String topic, int from, int to) {
		member.close();
		awaitNoMembers(topic);
		publish(topic, from, to);
		return connect();
	}

	private void publish(String topic, int from, int to) {
		for (int n = from; n <= to; n++) {
			this.broadcaster.send(BroadcastTarget.topic(topic), Map.of("n", n));
		}
	}

	private void awaitNoMembers(String topic) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.topicIndex.findMembers(topic)).isEmpty());
	}

	private LiveTestClient connect() {
		LiveTestClient client = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + this.port + "/live"),
				Map.of("Authorization", UserGroupsIntegrationTests.basic("alice")));
		this.clients.add(client);
		client.next("hello");
		return client;
	}

	private static String newTopic() {
		return "feed:" + topics.incrementAndGet();
	}

	@Configuration(proxyBeanMethods = false)
	static class Feeds {

		@Bean
		TopicAuthorizer feeds() {
			return (connection, topic) -> topic.startsWith("feed:") && connection.getUserId() != null;
		}

		/** Publishes three times into a race topic whenever a connection joins it. */
		@Bean
		TopicListener racer(ObjectProvider<Broadcaster> broadcaster) {
			return new TopicListener() {

				@Override
				public void topicJoined(LiveConnection connection, String topic) {
					if (topic.startsWith("feed:race-")) {
						for (int i = 0; i < 3; i++) {
							broadcaster.getObject().send(BroadcastTarget.topic(topic), Map.of("live", i));
						}
					}
				}

				@Override
				public void topicLeft(LiveConnection connection, String topic) {
				}

			};
		}

	}

}
