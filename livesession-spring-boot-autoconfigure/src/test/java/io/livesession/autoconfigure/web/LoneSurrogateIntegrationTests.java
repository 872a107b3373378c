package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.Map;

import io.livesession.Broadcaster;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One unpaired surrogate, which {@code JSON.stringify} sends as {@code \ud800}, cannot
 * poison a group: inbound it is a {@code bad_request} for the sender alone, and text the
 * application itself sends is delivered with U+FFFD in its place instead of failing the
 * container's UTF-8 encoder and closing every socket of the group.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LoneSurrogateIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Autowired
	Broadcaster broadcaster;

	@Test
	void aLoneSurrogateInActionDataIsABadRequestForTheSenderAndTheGroupLivesOn() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient sender = LiveTestClient.connect(this.port, cookie);
				LiveTestClient sibling = LiveTestClient.connect(this.port, cookie)) {
			sender.next("hello");
			sibling.next("hello");
			sender.sendText("{\"type\":\"action\",\"action\":\"put\",\"data\":{\"text\":\"\\ud800 x\"},\"ref\":\"p\"}");
			JsonNode error = sender.next("error");
			assertThat(error.get("code").asString()).isEqualTo("bad_request");
			assertThat(error.get("ref").asString()).isEqualTo("p");
			assertThat(error.get("message").asString()).startsWith("data.text: ");
			assertThat(sibling.poll(Duration.ofMillis(300))).as("no state change").isNull();
			assertGroupLivesOn(cookie, sender, sibling);
		}
	}

	@Test
	void aLoneSurrogateInARefIsABadRequestWithoutTheRef() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient sender = LiveTestClient.connect(this.port, cookie);
				LiveTestClient sibling = LiveTestClient.connect(this.port, cookie)) {
			sender.next("hello");
			sibling.next("hello");
			sender.sendText("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"\\udc00\"}");
			JsonNode error = sender.next("error");
			assertThat(error.get("code").asString()).isEqualTo("bad_request");
			assertThat(error.get("ref").isNull()).isTrue();
			assertThat(error.get("message").asString()).startsWith("ref: ");
			assertGroupLivesOn(cookie, sender, sibling);
		}
	}

	@Test
	void textWithALoneSurrogateFromTheApplicationArrivesWithAReplacementCharacterAndClosesNoOne() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		try (LiveTestClient first = LiveTestClient.connect(this.port, "LIVESESSION=" + cookie);
				LiveTestClient second = LiveTestClient.connect(this.port, "LIVESESSION=" + cookie)) {
			first.next("hello");
			second.next("hello");
			this.groups.update(groupId, (state) -> {
				state.setAttribute("note", "a\ud800b");
				return null;
			});
			for (LiveTestClient client : new LiveTestClient[] { first, second }) {
				assertThat(client.next("state").at("/state/note").asString()).isEqualTo("a\uFFFDb");
			}
			this.broadcaster.sendToGroup(groupId, Map.of("type", "news", "text", "\udbff!"));
			for (LiveTestClient client : new LiveTestClient[] { first, second }) {
				assertThat(client.next("news").get("text").asString()).isEqualTo("\uFFFD!");
			}
			assertGroupLivesOn("LIVESESSION=" + cookie, first, second);
		}
	}

	private void assertGroupLivesOn(String cookie, LiveTestClient... clients) {
		for (LiveTestClient client : clients) {
			assertThat(client.isClosed()).isFalse();
		}
		clients[0].action("increment", null, "after");
		assertThat(clients[0].next("reply").get("ref").asString()).isEqualTo("after");
		try (LiveTestClient next = LiveTestClient.connect(this.port, cookie)) {
			assertThat(next.next("hello").get("type").asString()).as("the group's next hello").isEqualTo("hello");
		}
	}

}
