package io.livesession.samples.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's rooms over real WebSocket connections: who may subscribe to what,
 * {@code say} reaching exactly the room, and the room's member list.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatRoomsTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	@LocalServerPort
	int port;

	private LiveTestClient connect(String user) {
		HttpBrowser browser = new HttpBrowser(this.port, "password");
		browser.login(user);
		// connect() returns once the hello arrived.
		return browser.connect();
	}

	private static void subscribe(LiveTestClient client, String topic, String ref) {
		client.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"ref\":\"" + ref + "\"}");
	}

	/** The next frame that is not a publication (presence lists come at any time). */
	private static JsonNode nextAnswer(LiveTestClient client) {
		JsonNode frame = client.next();
		while ("publication".equals(frame.path("type").asString())) {
			frame = client.next();
		}
		return frame;
	}

	/** Skips publications until one of the given kind. */
	private static JsonNode nextPublication(LiveTestClient client, String kind) {
		JsonNode frame = client.next("publication");
		while (!kind.equals(frame.at("/data/kind").asString())) {
			frame = client.next("publication");
		}
		return frame;
	}

	private static List<String> users(JsonNode presence) {
		return presence.at("/data/users").valueStream().map(JsonNode::asString).toList();
	}

	@Test
	void aSignedInUserMayEnterAnyRoomAndNoOtherTopic() {
		try (LiveTestClient alice = connect("alice")) {
			subscribe(alice, "room:a", "1");
			JsonNode reply = nextAnswer(alice);
			assertThat(reply.path("type").asString()).isEqualTo("reply");
			assertThat(reply.at("/data/topic").asString()).isEqualTo("room:a");
			assertThat(reply.at("/data/recovered").asBoolean()).isFalse();
			assertThat(reply.at("/data/epoch").isString()).as("rooms are recoverable").isTrue();
			for (String topic : List.of("news", "room:", "room:Upper", "room:" + "x".repeat(33), "admin:room:a")) {
				subscribe(alice, topic, "f");
				JsonNode error = nextAnswer(alice);
				assertThat(error.path("code").asString()).as(topic).isEqualTo("forbidden");
			}
			subscribe(alice, "room a", "b");
			assertThat(nextAnswer(alice).path("code").asString()).as("not a topic name").isEqualTo("bad_request");
		}
	}

	@Test
	void saySendsToTheRoomOnly() {
		try (LiveTestClient alice = connect("alice");
				LiveTestClient bob = connect("bob");
				LiveTestClient admin = connect("admin")) {
			subscribe(alice, "room:a", "a");
			subscribe(bob, "room:a", "b");
			subscribe(admin, "room:b", "c");
			for (LiveTestClient client : List.of(alice, bob, admin)) {
				assertThat(nextAnswer(client).path("type").asString()).isEqualTo("reply");
			}
			alice.action("say", Map.of("room", "a", "text", "hello room a"), "s");
			for (LiveTestClient client : List.of(alice, bob)) {
				JsonNode message = nextPublication(client, "message");
				assertThat(message.path("topic").asString()).isEqualTo("room:a");
				assertThat(message.path("data"))
					.hasToString("{\"kind\":\"message\",\"room\":\"a\",\"user\":\"alice\",\"text\":\"hello room a\"}");
				assertThat(message.path("offset").isIntegralNumber()).isTrue();
			}
			assertThat(nextAnswer(alice).path("ref").asString()).isEqualTo("s");
			bob.action("say", Map.of("text", "the only room I am in"), "t");
			assertThat(nextPublication(alice, "message").at("/data/user").asString()).isEqualTo("bob");
			admin.action("say", Map.of("room", "b", "text", "room b here"), "u");
			assertThat(nextPublication(admin, "message").at("/data/text").asString()).isEqualTo("room b here");
			// admin's own message came back after alice's and bob's were delivered.
			assertThat(admin.getReceived()).as("admin's frames")
				.noneMatch((frame) -> frame.path("topic").asString().equals("room:a"));
		}
	}

	@Test
	void sayInARoomNotEnteredIsForbiddenAndWithoutAnyRoomABadRequest() {
		try (LiveTestClient bob = connect("bob")) {
			bob.action("say", Map.of("text", "anyone?"), "1");
			assertThat(nextAnswer(bob).path("code").asString()).isEqualTo("bad_request");
			bob.action("say", Map.of("room", "a", "text", "anyone?"), "2");
			assertThat(nextAnswer(bob).path("code").asString()).isEqualTo("forbidden");
			subscribe(bob, "room:a", "3");
			nextAnswer(bob);
			bob.action("say", Map.of("room", "a", "text", ""), "4");
			assertThat(nextAnswer(bob).path("code").asString()).isEqualTo("bad_request");
		}
	}

	@Test
	void theRoomsMemberListIsPublishedWhenAUserComesOrGoesAndAnsweredByMembers() {
		try (LiveTestClient alice = connect("alice")) {
			subscribe(alice, "room:lobby", "1");
			assertThat(nextAnswer(alice).path("type").asString()).isEqualTo("reply");
			// The list published on alice's own join counts as before her subscription: a
			// page asks for the list once subscribed.
			alice.action("members", Map.of("room", "lobby"), "m");
			assertThat(nextAnswer(alice).at("/data/users").toString()).isEqualTo("[\"alice\"]");
			try (LiveTestClient bob = connect("bob"); LiveTestClient bobAgain = connect("bob")) {
				subscribe(bob, "room:lobby", "2");
				assertThat(users(nextPublication(alice, "presence"))).containsExactly("alice", "bob");
				subscribe(bobAgain, "room:lobby", "3");
				assertThat(nextAnswer(bobAgain).path("type").asString()).isEqualTo("reply");
				bobAgain.action("members", Map.of("room", "lobby"), "m");
				assertThat(nextAnswer(bobAgain).at("/data/users").toString()).isEqualTo("[\"alice\",\"bob\"]");
				bob.close();
				assertThat(alice.poll(QUIET)).as("bob is still in the lobby with his other connection").isNull();
			}
			assertThat(users(nextPublication(alice, "presence"))).containsExactly("alice");
		}
	}

}
