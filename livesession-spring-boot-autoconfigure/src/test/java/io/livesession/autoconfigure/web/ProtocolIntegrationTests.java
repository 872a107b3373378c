package io.livesession.autoconfigure.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.SessionGroups;
import io.livesession.Topics;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawWebSocket;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every frame, error code and close code of the protocol, asserted on the wire.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "livesession.max-text-message-size=4KB")
class ProtocolIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	Topics topics;

	private String cookie;

	private LiveTestClient client;

	private String groupId;

	@BeforeEach
	void connect() {
		String value = HttpBrowser.anonymousCookie(this.port);
		this.cookie = "LIVESESSION=" + value;
		this.groupId = "anon:" + AnonymousCookies.deriveId(value);
		this.client = LiveTestClient.connect(this.port, this.cookie);
		JsonNode hello = this.client.next();
		assertThat(hello.get("type").asString()).as("hello is the first frame").isEqualTo("hello");
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void helloCarriesConnectionIdUserIdVersionAndTheWholeState() {
		this.client.action("put", Map.of("a", 1, "b", Map.of("x", "y")), "p");
		this.client.next("reply");
		try (LiveTestClient second = LiveTestClient.connect(this.port, this.cookie)) {
			JsonNode hello = second.next();
			assertThat(hello.get("type").asString()).isEqualTo("hello");
			assertThat(hello.get("connectionId").asString()).isNotBlank();
			assertThat(hello.has("userId")).isTrue();
			assertThat(hello.get("userId").isNull()).isTrue();
			assertThat(hello.get("version").asLong()).isEqualTo(1);
			assertThat(hello.get("state").propertyNames()).containsExactlyInAnyOrder("counter", "a", "b");
			assertThat(hello.at("/state/b/x").asString()).isEqualTo("y");
		}
	}

	@Test
	void aStateFrameHoldsOnlyTheChangedAttributesAndNullForRemovedOnes() {
		this.client.action("put", Map.of("a", 1, "b", 2), null);
		JsonNode first = this.client.next("state");
		assertThat(first.get("version").asLong()).isEqualTo(1);
		assertThat(first.get("state").propertyNames()).containsExactlyInAnyOrder("a", "b");
		Map<String, Object> change = new HashMap<>();
		change.put("a", null);
		change.put("b", 2);
		change.put("c", 3);
		this.client.action("put", change, null);
		JsonNode second = this.client.next("state");
		assertThat(second.get("version").asLong()).isEqualTo(2);
		assertThat(second.get("state").propertyNames()).containsExactlyInAnyOrder("a", "c");
		assertThat(second.at("/state/a").isNull()).isTrue();
		assertThat(second.has("full")).isFalse();
	}

	@Test
	void anActionWithoutChangesSendsNoStateAndKeepsTheVersion() {
		this.client.action("put", Map.of("counter", Map.of("count", 0)), "same");
		assertThat(this.client.next().get("type").asString()).isEqualTo("reply");
		assertThat(this.groups.get(this.groupId).getVersion()).isZero();
	}

	@Test
	void withoutATopicAuthorizerEverySubscribeGetsForbidden() {
		this.client.sendText("{\"type\":\"subscribe\",\"topic\":\"room:a\",\"ref\":\"s\"}");
		JsonNode error = this.client.next("error");
		assertThat(error.get("ref").asString()).isEqualTo("s");
		assertThat(error.get("code").asString()).isEqualTo("forbidden");
		assertThat(this.topics.getTopicNames()).isEmpty();
	}

	@Test
	void aReplyCarriesTheRefAndTheReturnValue() {
		this.client.action("echo", Map.of("hello", "world"), "r-1");
		JsonNode reply = this.client.next("reply");
		assertThat(reply.get("ref").asString()).isEqualTo("r-1");
		assertThat(reply.at("/data/hello").asString()).isEqualTo("world");
		this.client.action("echo", null, "r-2");
		assertThat(this.client.next("reply").get("data").isNull()).isTrue();
	}

	@Test
	void anActionWithoutRefGetsNoReply() {
		this.client.action("echo", "x", null);
		this.client.action("echo", "y", "marker");
		JsonNode next = this.client.next();
		assertThat(next.get("ref").asString()).isEqualTo("marker");
	}

	@Test
	void syncAnswersWithTheFullStateAtTheCurrentVersion() {
		this.client.action("increment", null, null);
		this.client.next("state");
		this.client.sendText("{\"type\":\"sync\"}");
		JsonNode state = this.client.next("state");
		assertThat(state.get("full").asBoolean()).isTrue();
		assertThat(state.get("version").asLong()).isEqualTo(1);
		assertThat(state.at("/state/counter/count").asInt()).isEqualTo(1);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			not json at all                                      | bad_request |
			[1,2,3]                                              | bad_request |
			"just a string"                                      | bad_request |
			{}                                                   | bad_request |
			{"type":42}                                          | bad_request |
			{"type":"nope"}                                      | bad_request |
			{"type":"action"}                                    | bad_request |
			{"type":"action","action":""}                        | bad_request |
			{"type":"action","action":7}                         | bad_request |
			{"type":"action","action":"increment","ref":5}       | bad_request |
			{"type":"action","action":"add","data":{"value":"x"},"ref":"r"} | bad_request | r
			{"type":"action","action":"add","ref":"r"}           | bad_request | r
			{"type":"action","action":"refuse","ref":"r"}        | bad_request | r
			{"type":"action","action":"nope","ref":"r"}          | unknown_action | r
			{"type":"action","action":"fail","ref":"r"}          | internal | r
			{"type":"action","action":"failAfterChange","ref":"r"} | internal | r
			{"type":"action","action":"echo"}{"x":1}             | bad_request |
			""")
	void badInputGetsAnErrorFrameAndChangesNothing(String frame, String code, String ref) {
		this.client.sendText(frame);
		JsonNode error = this.client.next();
		assertThat(error.get("type").asString()).isEqualTo("error");
		assertThat(error.get("code").asString()).isEqualTo(code);
		assertThat(error.get("message").asString()).isNotBlank().doesNotContain("secret").doesNotContain(".java");
		if (ref != null) {
			assertThat(error.get("ref").asString()).isEqualTo(ref);
		}
		else {
			assertThat(error.get("ref").isNull()).isTrue();
		}
		assertThat(this.groups.get(this.groupId).getVersion()).isZero();
		assertThat(this.groups.get(this.groupId).getAttribute("counter", Map.class)).containsEntry("count", 0);
		this.client.action("increment", null, "after");
		assertThat(this.client.next("reply").at("/data/count").asInt()).as("still serving").isEqualTo(1);
	}

	@Test
	void aRefLongerThan64CharactersIsABadRequestWithoutRef() {
		this.client.action("echo", null, "r".repeat(65));
		JsonNode error = this.client.next();
		assertThat(error.get("code").asString()).isEqualTo("bad_request");
		assertThat(error.get("ref").isNull()).isTrue();
		this.client.action("echo", null, "r".repeat(64));
		assertThat(this.client.next().get("type").asString()).isEqualTo("reply");
	}

	@Test
	void aBinaryFrameClosesWith1003() {
		this.client.sendBinary(new byte[] { 1, 2, 3 });
		CloseReason reason = this.client.awaitClose(Duration.ofSeconds(5));
		assertThat(reason.getCloseCode().getCode()).isEqualTo(1003);
	}

	@Test
	void aTextFrameAboveTheLimitClosesWith1009() {
		this.client.sendText("{\"type\":\"action\",\"action\":\"echo\",\"data\":\"" + "x".repeat(5000) + "\"}");
		CloseReason reason = this.client.awaitClose(Duration.ofSeconds(5));
		assertThat(reason.getCloseCode().getCode()).isEqualTo(1009);
		assertThat(reason.getReasonPhrase()).as("livesession's words, not the container's")
			.isEqualTo("frame too large");
		assertThat(this.groups.get(this.groupId).getVersion()).isZero();
	}

	@Test
	void aTextFrameSentInFragmentsAboveTheLimitClosesWith1009Too() {
		try (RawWebSocket raw = RawWebSocket.open(this.port, "/live", List.of())) {
			assertThat(raw.status()).isEqualTo(101);
			assertThat(raw.nextJson().get("type").asString()).isEqualTo("hello");
			byte[] part = "x".repeat(1500).getBytes(StandardCharsets.UTF_8);
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "{\"type\":\"sync\",\"pad\":\"".getBytes(StandardCharsets.UTF_8),
					true);
			for (int i = 0; i < 3; i++) {
				raw.sendFrame(false, 0, RawWebSocket.CONTINUATION, part, true);
			}
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION, "\"}".getBytes(StandardCharsets.UTF_8), true);
			assertThat(raw.awaitCloseCode(Duration.ofSeconds(5))).isEqualTo(1009);
		}
	}

	@Test
	void aTextFrameSentInFragmentsWithinTheLimitIsOneFrame() {
		try (RawWebSocket raw = RawWebSocket.open(this.port, "/live", List.of())) {
			assertThat(raw.nextJson().get("type").asString()).isEqualTo("hello");
			raw.sendFrame(false, 0, RawWebSocket.TEXT, "{\"type\":\"action\",".getBytes(StandardCharsets.UTF_8), true);
			raw.sendFrame(true, 0, RawWebSocket.CONTINUATION,
					"\"action\":\"echo\",\"data\":\"joined\",\"ref\":\"f\"}".getBytes(StandardCharsets.UTF_8), true);
			JsonNode reply = raw.nextJson();
			assertThat(reply.get("type").asString()).isEqualTo("reply");
			assertThat(reply.get("data").asString()).isEqualTo("joined");
		}
	}

	@Test
	void aTextFrameJustBelowTheLimitIsAccepted() {
		this.client.action("echo", "x".repeat(3900), "big");
		assertThat(this.client.next("reply").get("data").asString()).hasSize(3900);
	}

	@Test
	void aServerSideUpdateIsPushedLikeAnAction() {
		this.groups.update(this.groupId, (state) -> {
			state.setAttribute("notice", "from the server");
			return null;
		});
		JsonNode state = this.client.next("state");
		assertThat(state.get("version").asLong()).isEqualTo(1);
		assertThat(state.at("/state/notice").asString()).isEqualTo("from the server");
	}

	@Test
	void deletingAGroupSendsItsConnectionsTheEmptyStateAtVersionZero() {
		this.client.action("increment", null, null);
		this.client.next("state");
		this.groups.delete(this.groupId);
		JsonNode state = this.client.next("state");
		assertThat(state.get("full").asBoolean()).isTrue();
		assertThat(state.get("version").asLong()).isZero();
		assertThat(state.get("state").isEmpty()).isTrue();
		assertThat(this.groups.get(this.groupId).getVersion()).isZero();
	}

	@Test
	void broadcastFramesArriveRawAsTextBinaryOrJson() {
		assertThat(this.broadcaster.send(BroadcastTarget.groups(this.groupId), "plain text")).isEqualTo(1);
		assertThat(this.client.poll(Duration.ofSeconds(5))).isEqualTo("plain text");
		this.broadcaster.send(BroadcastTarget.groups(this.groupId), "bytes".getBytes(StandardCharsets.UTF_8));
		Object binary = this.client.poll(Duration.ofSeconds(5));
		assertThat(binary).isInstanceOf(ByteBuffer.class);
		assertThat(StandardCharsets.UTF_8.decode((ByteBuffer) binary).toString()).isEqualTo("bytes");
		this.broadcaster.send(BroadcastTarget.groups(this.groupId), Map.of("type", "news", "n", 1));
		JsonNode json = this.client.next();
		assertThat(json.get("type").asString()).isEqualTo("news");
		assertThat(json.get("n").asInt()).isEqualTo(1);
		assertThat(json.has("version")).as("no envelope").isFalse();
	}

}
