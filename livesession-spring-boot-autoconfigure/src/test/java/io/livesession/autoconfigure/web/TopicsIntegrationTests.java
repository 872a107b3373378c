package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.test.LiveTestClient;
import io.livesession.topic.TopicAuthorizer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Topics on Tomcat with real WebSocket clients, with the shipped defaults: subscribe
 * frames under a {@link TopicAuthorizer} (refusals join nothing, abuse changes nothing),
 * publications to exactly the members, and no index entry left by a leave or a close.
 */
@SpringBootTest(classes = { LiveTestApplication.class, TopicsIntegrationTests.Rooms.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class TopicsIntegrationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	Topics topics;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	ConnectionRegistry registry;

	@AfterEach
	void noTopicIsLeft() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.topics.getTopicNames()).isEmpty());
	}

	@Test
	void anAuthorizedSubscribeJoinsAndIsAnsweredWithAReply() {
		try (LiveTestClient alice = connectUser("alice")) {
			subscribe(alice, "room:a", "s-1", null, null);
			JsonNode reply = alice.next("reply");
			assertThat(reply.get("ref").asString()).isEqualTo("s-1");
			assertThat(reply.at("/data/topic").asString()).isEqualTo("room:a");
			assertThat(reply.at("/data/offset").isNull()).isTrue();
			assertThat(reply.at("/data/epoch").isNull()).isTrue();
			assertThat(reply.at("/data/recovered").asBoolean(true)).isFalse();
			assertThat(this.topics.findMembers("room:a")).extracting(LiveConnection::getUserId)
				.containsExactly("alice");
			assertThat(this.registry.findByUser("alice")).singleElement()
				.satisfies((connection) -> assertThat(connection.getTopics()).containsExactly("room:a"));
		}
	}

	@Test
	void aPublicationReachesExactlyTheMembersOfItsTopic() {
		try (LiveTestClient alice = connectUser("alice"); LiveTestClient bob = connectUser("bob")) {
			subscribe(alice, "room:a", "a", null, null);
			alice.next("reply");
			subscribe(bob, "room:b", "b", null, null);
			bob.next("reply");
			assertThat(this.broadcaster.send(BroadcastTarget.topic("room:a"), Map.of("text", "hi"))).isEqualTo(1);
			assertThat(this.broadcaster.send(BroadcastTarget.topic("room:a"), "plain")).isEqualTo(1);
			JsonNode publication = alice.next("publication");
			assertThat(publication.propertyNames()).containsExactly("type", "topic", "data");
			assertThat(publication.get("topic").asString()).isEqualTo("room:a");
			assertThat(publication.at("/data/text").asString()).isEqualTo("hi");
			JsonNode text = alice.next("publication");
			assertThat(text.get("data").isString()).as("a text payload is a JSON string").isTrue();
			assertThat(text.get("data").asString()).isEqualTo("plain");
			// Bob's topic has had none: the first publication he gets is his topic's.
			this.broadcaster.send(BroadcastTarget.topic("room:b"), "for bob");
			assertThat(bob.next("publication").get("topic").asString()).isEqualTo("room:b");
		}
	}

	@Test
	void anAnonymousSubscribeGetsForbiddenAndJoinsNothing() {
		try (LiveTestClient anonymous = LiveTestClient.connect(this.port, null)) {
			anonymous.next("hello");
			subscribe(anonymous, "room:a", "s", null, null);
			assertError(anonymous.next("error"), "s", "forbidden");
			assertNothingJoined();
		}
	}

	@Test
	void aSubscribeTheAuthorizerRefusesGetsForbiddenAndJoinsNothing() {
		try (LiveTestClient alice = connectUser("alice")) {
			subscribe(alice, "admin:x", "s", null, null);
			assertError(alice.next("error"), "s", "forbidden");
			assertNothingJoined();
			assertThat(this.broadcaster.send(BroadcastTarget.topic("admin:x"), "secret")).isZero();
		}
	}

	@Test
	void topicNameAbuseGetsBadRequestNamingTheFieldAndChangesNothing() {
		try (LiveTestClient alice = connectUser("alice")) {
			subscribe(alice, "room:" + "x".repeat(Topics.MAX_NAME_LENGTH), "long", null, null);
			assertBadRequest(alice.next("error"), "long", "'topic'");
			subscribe(alice, "room:a b", "space", null, null);
			assertBadRequest(alice.next("error"), "space", "'topic'");
			subscribe(alice, "room:<script>", "markup", null, null);
			assertBadRequest(alice.next("error"), "markup", "'topic'");
			subscribe(alice, "", "empty", null, null);
			assertBadRequest(alice.next("error"), "empty", "'topic'");
			alice.sendText("{\"type\":\"subscribe\",\"ref\":\"number\",\"topic\":42}");
			assertBadRequest(alice.next("error"), "number", "'topic'");
			alice.sendText("{\"type\":\"subscribe\",\"ref\":\"missing\"}");
			assertBadRequest(alice.next("error"), "missing", "'topic'");
			assertNothingJoined();
		}
	}

	@Test
	void aBadOffsetOrEpochGetsBadRequestNamingTheFieldAndChangesNothing() {
		try (LiveTestClient alice = connectUser("alice")) {
			subscribe(alice, "room:a", "negative", -1, "e");
			assertBadRequest(alice.next("error"), "negative", "'offset'");
			subscribe(alice, "room:a", "fraction", 1.5, "e");
			assertBadRequest(alice.next("error"), "fraction", "'offset'");
			subscribe(alice, "room:a", "text", "7", "e");
			assertBadRequest(alice.next("error"), "text", "'offset'");
			subscribe(alice, "room:a", "epoch", 7, 7);
			assertBadRequest(alice.next("error"), "epoch", "'epoch'");
			assertNothingJoined();
		}
	}

	@Test
	void aSubscribeBeyondTheDefaultLimitOfTopicsGetsBadRequestAndChangesNothing() {
		try (LiveTestClient alice = connectUser("alice")) {
			// Server code joins most, so that the frames stay within the rate limit.
			LiveConnection connection = this.registry.findByUser("alice").iterator().next();
			for (int i = 0; i < 63; i++) {
				assertThat(connection.join("room:" + i)).isTrue();
			}
			subscribe(alice, "room:63", "last", null, null);
			assertThat(alice.next("reply").get("ref").asString()).isEqualTo("last");
			subscribe(alice, "room:64", "over", null, null);
			assertBadRequest(alice.next("error"), "over", "'topic'");
			assertThatIllegalArgumentException().isThrownBy(() -> connection.join("room:64"));
			assertThat(connection.getTopics()).hasSize(64).doesNotContain("room:64");
			assertThat(this.topics.getTopicNames()).hasSize(64).doesNotContain("room:64");
			// A topic it is in already is no new one.
			subscribe(alice, "room:0", "again", null, null);
			assertThat(alice.next("reply").get("ref").asString()).isEqualTo("again");
		}
	}

	@Test
	void unsubscribingAndClosingLeaveNoIndexEntry() {
		try (LiveTestClient alice = connectUser("alice"); LiveTestClient bob = connectUser("bob")) {
			subscribe(alice, "room:a", "a", null, null);
			alice.next("reply");
			subscribe(bob, "room:a", "b", null, null);
			bob.next("reply");
			assertThat(this.topics.findMembers("room:a")).hasSize(2);
			alice.sendText("{\"type\":\"unsubscribe\",\"topic\":\"room:a\",\"ref\":\"u\"}");
			JsonNode reply = alice.next("reply");
			assertThat(reply.get("ref").asString()).isEqualTo("u");
			assertThat(reply.at("/data/topic").asString()).isEqualTo("room:a");
			assertThat(reply.at("/data/recovered").asBoolean(true)).isFalse();
			assertThat(this.topics.findMembers("room:a")).extracting(LiveConnection::getUserId).containsExactly("bob");
			assertThat(this.broadcaster.send(BroadcastTarget.topic("room:a"), "x")).isEqualTo(1);
			bob.close();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.topics.findMembers("room:a")).isEmpty());
			assertThat(this.topics.getTopicNames()).isEmpty();
			assertThat(this.topics.getMemberCount("room:a")).isZero();
		}
	}

	@Test
	void serverCodeJoinsEveryConnectionOfAUserWithoutAnyFrame() {
		try (LiveTestClient alice1 = connectUser("alice");
				LiveTestClient alice2 = connectUser("alice");
				LiveTestClient bob = connectUser("bob")) {
			assertThat(this.topics.join(BroadcastTarget.users("alice"), "doc:42")).isEqualTo(2);
			assertThat(this.topics.getMemberCount("doc:42")).isEqualTo(2);
			assertThat(this.topics.getMemberUserIds("doc:42")).containsExactly("alice");
			assertThat(this.broadcaster.send(BroadcastTarget.topic("doc:42"), "edited")).isEqualTo(2);
			assertThat(alice1.next("publication").get("data").asString()).isEqualTo("edited");
			assertThat(alice2.next("publication").get("data").asString()).isEqualTo("edited");
			LiveConnection connection = this.registry.findByUser("alice").iterator().next();
			assertThat(connection.leave("doc:42")).isTrue();
			assertThat(connection.leave("doc:42")).isFalse();
			assertThat(this.topics.leave(BroadcastTarget.users("alice"), "doc:42")).isEqualTo(1);
		}
	}

	private LiveTestClient connectUser(String user) {
		LiveTestClient client = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + this.port + "/live"),
				Map.of("Authorization", UserGroupsIntegrationTests.basic(user)));
		client.next("hello");
		return client;
	}

	static void subscribe(LiveTestClient client, String topic, @Nullable String ref, @Nullable Object offset,
			@Nullable Object epoch) {
		Map<String, @Nullable Object> frame = new LinkedHashMap<>();
		frame.put("type", "subscribe");
		frame.put("topic", topic);
		if (ref != null) {
			frame.put("ref", ref);
		}
		if (offset != null) {
			frame.put("offset", offset);
		}
		if (epoch != null) {
			frame.put("epoch", epoch);
		}
		client.sendText(mapper.writeValueAsString(frame));
	}

	private void assertNothingJoined() {
		assertThat(this.topics.getTopicNames()).isEmpty();
		for (LiveConnection connection : this.registry.findAll()) {
			assertThat(connection.getTopics()).isEmpty();
		}
	}

	private static void assertError(JsonNode error, String ref, String code) {
		assertThat(error.get("ref").asString()).isEqualTo(ref);
		assertThat(error.get("code").asString()).isEqualTo(code);
	}

	private static void assertBadRequest(JsonNode error, String ref, String field) {
		assertError(error, ref, "bad_request");
		assertThat(error.get("message").asString()).contains(field);
	}

	@Configuration(proxyBeanMethods = false)
	static class Rooms {

		/** Rooms for authenticated users; nothing else. */
		@Bean
		TopicAuthorizer rooms() {
			return (connection, topic) -> topic.startsWith("room:") && connection.getUserId() != null;
		}

	}

}
