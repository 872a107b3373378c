package io.livesession.autoconfigure.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.livesession.ConnectionRegistry;
import io.livesession.SessionGroup;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawWebSocket;
import jakarta.websocket.CloseReason;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated corpus of bad input, frames and handshakes. Each case asserts the answer
 * docs/protocol.md documents for it (an error code, a close code or an HTTP status), that
 * no group changed (neither the sender's own group nor a victim group with state), and
 * that the server still serves a normal client afterwards. One application context (and a
 * second one that requires authentication) serves every case; each case has its own
 * connection.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "livesession.max-text-message-size=4KB", "livesession.allowed-origins=https://*.example.com",
				"livesession.anonymous.secret=" + BadInputCorpusTests.SECRET })
class BadInputCorpusTests {

	private static final int LIMIT = 4096;

	/**
	 * The key of both instances, so the static case lists can hold valid cookies (the
	 * default keys are tested by AnonymousGroupsIntegrationTests).
	 */
	static final String SECRET = "bad-input-corpus-0123456789abcdef";

	private static final AnonymousCookies SIGNER = new AnonymousCookies("LIVESESSION", Duration.ofDays(1), false,
			() -> SECRET.getBytes(StandardCharsets.UTF_8));

	private static final String VICTIM_COOKIE = SIGNER.issue();

	private static final String VICTIM_GROUP = "anon:" + AnonymousCookies.deriveId(VICTIM_COOKIE);

	private static final String ECHO = "{\"type\":\"action\",\"action\":\"echo\",\"ref\":\"r\",\"data\":%s}";

	/** Values of every JSON type but string and null. */
	private static final List<String> NOT_STRINGS = List.of("42", "-1", "1.5", "1e3", "true", "false", "[]",
			"[\"action\"]", "{}", "{\"type\":\"action\"}");

	static ConfigurableApplicationContext authenticationRequired;

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Autowired
	ConnectionRegistry registry;

	private long victimVersion;

	@BeforeAll
	static void startAnInstanceThatRequiresAuthentication() {
		authenticationRequired = new SpringApplicationBuilder(LiveTestApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--livesession.require-authentication=true",
				"--livesession.anonymous.secret=" + SECRET);
	}

	@AfterAll
	static void stopTheInstanceThatRequiresAuthentication() {
		authenticationRequired.close();
	}

	@BeforeEach
	void giveTheVictimGroupState() {
		this.groups.update(VICTIM_GROUP, (state) -> {
			state.setAttribute("secret", "victim's data " + System.nanoTime());
			return null;
		});
		this.victimVersion = this.groups.get(VICTIM_GROUP).getVersion();
		assertThat(this.victimVersion).isPositive();
	}

	// Frames answered with an error frame; the connection stays open

	static Stream<Arguments> errorFrames() {
		List<Arguments> cases = new ArrayList<>();
		// Not JSON
		for (String text : List.of("", " ", "\n", "{", "}", "[", "]", "{\"type\":", "{\"type\":\"sync\"",
				"{\"type\":\"sync\",}", "{'type':'sync'}", "{type:\"sync\"}", "{\"type\":sync}", "nul", "tru", "NaN",
				"Infinity", "-Infinity", "0x1F", "01", "+1", ".5", "1.", "{\"type\":\"sync\"} x",
				"{\"type\":\"sync\"}{\"type\":\"sync\"}", "// comment\n{\"type\":\"sync\"}",
				"/* comment */{\"type\":\"sync\"}", "\"unterminated", "{\"type\":\"a\\x\"}", "{\"type\":\"\\u12\"}",
				"{\"type\":\"sync\" \"ref\":\"r\"}", "{\"type\" \"sync\"}", "{\"a\":1,,\"b\":2}", "[1,,2]", "\u0000",
				"{\"type\":\"sy\u0001nc\"}", "<xml/>", "type=sync", "GET / HTTP/1.1",
				"{\"type\":\"action\",\"action\":\"echo\",\"ref\":\"r\"")) {
			cases.add(error("not JSON: " + text, text, "bad_request", null));
		}
		// JSON, but not an object
		for (String text : List.of("1", "0", "-1", "1.5", "1e10", "1e999", "123456789012345678901234567890", "true",
				"false", "null", "\"sync\"", "\"\"", "\"{\\\"type\\\":\\\"sync\\\"}\"", "[]", "[{\"type\":\"sync\"}]",
				"[\"action\",\"echo\"]", "[[]]")) {
			cases.add(error("not an object: " + text, text, "bad_request", null));
		}
		// Wrong types for every field
		for (String value : concat(NOT_STRINGS, "null")) {
			cases.add(error("type " + value, "{\"type\":" + value + ",\"ref\":\"r\"}", "bad_request", "r"));
		}
		for (String value : concat(NOT_STRINGS, "null", "\"\"")) {
			cases.add(error("action " + value, "{\"type\":\"action\",\"action\":" + value + ",\"ref\":\"r\"}",
					"bad_request", "r"));
		}
		for (String value : NOT_STRINGS) {
			cases.add(error("action ref " + value, "{\"type\":\"action\",\"action\":\"echo\",\"ref\":" + value + "}",
					"bad_request", null));
			cases.add(error("sync ref " + value, "{\"type\":\"sync\",\"ref\":" + value + "}", "bad_request", null));
		}
		for (String value : List.of("\"x\"", "true", "[]", "[1]", "null", "{\"value\":\"x\"}", "{\"value\":true}",
				"{\"value\":[]}", "{\"value\":{}}", "{\"value\":null}", "{\"value\":99999999999}")) {
			cases.add(error("add data " + value,
					"{\"type\":\"action\",\"action\":\"add\",\"data\":" + value + ",\"ref\":\"r\"}", "bad_request",
					"r"));
		}
		for (String value : List.of("\"x\"", "42", "true", "[]", "[1,2]")) {
			cases.add(error("put data " + value,
					"{\"type\":\"action\",\"action\":\"put\",\"data\":" + value + ",\"ref\":\"r\"}", "bad_request",
					"r"));
		}
		// Unknown types and actions
		for (String type : List.of("Action", "ACTION", " action", "action ", "action\\u0000", "SYNC", "sync ", "hello",
				"state", "reply", "error", "", "subscribe", "ping", "\\u0430ction", "x".repeat(1000))) {
			cases.add(error("type \"" + abbreviate(type) + "\"", "{\"type\":\"" + type + "\",\"ref\":\"r\"}",
					"bad_request", "r"));
		}
		for (String action : List.of("nope", "ECHO", "Echo", " echo", "echo ", "echo\\n", "increment\\u0000", "../echo",
				"echo/..", "a".repeat(1000), "__proto__", "constructor", "toString", "getClass", "hashCode", "wait",
				"notify", "class", "$", "\\ud83d\\ude42", "null", "undefined", "TestActions.echo",
				"io.livesession.autoconfigure.web.LiveTestApplication$TestActions#echo", "e".repeat(4000))) {
			cases.add(error("action \"" + abbreviate(action) + "\"",
					"{\"type\":\"action\",\"action\":\"" + action + "\",\"ref\":\"r\"}", "unknown_action", "r"));
		}
		// Refs too long
		for (int length : new int[] { 65, 66, 100, 256, 1000, 3000 }) {
			cases.add(error("ref of " + length + " characters",
					"{\"type\":\"action\",\"action\":\"echo\",\"ref\":\"" + "r".repeat(length) + "\"}", "bad_request",
					null));
		}
		cases.add(error("ref of 33 emoji",
				"{\"type\":\"action\",\"action\":\"echo\",\"ref\":\"" + "🙂".repeat(33) + "\"}", "bad_request", null));
		cases.add(error("sync with a ref of 65 characters", "{\"type\":\"sync\",\"ref\":\"" + "r".repeat(65) + "\"}",
				"bad_request", null));
		cases.add(error("unknown type with a ref of 65 characters",
				"{\"type\":\"nope\",\"ref\":\"" + "r".repeat(65) + "\"}", "bad_request", null));
		// Deeply nested, beyond Jackson's default depth of 500: not parsed at all
		for (int depth : new int[] { 501, 600, 1000, 2000 }) {
			cases.add(error("data of arrays nested " + depth + " deep",
					ECHO.formatted("[".repeat(depth) + "]".repeat(depth)), "bad_request", null));
		}
		for (int depth : new int[] { 501, 600 }) {
			cases.add(error("data of objects nested " + depth + " deep",
					ECHO.formatted("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)), "bad_request", null));
		}
		cases
			.add(error("a frame of arrays nested 2040 deep", "[".repeat(2040) + "]".repeat(2040), "bad_request", null));
		cases.add(error("unclosed nesting 3000 deep", ECHO.formatted("[".repeat(3000)), "bad_request", null));
		// Huge, within the frame size limit
		cases.add(error("a number of 1001 digits", ECHO.formatted("1".repeat(1001)), "bad_request", null));
		cases.add(error("add data of 3000 characters",
				"{\"type\":\"action\",\"action\":\"add\",\"data\":\"" + "x".repeat(3000) + "\",\"ref\":\"r\"}",
				"bad_request", "r"));
		cases.add(error("type of 4000 characters", "{\"type\":\"" + "t".repeat(4000) + "\",\"ref\":\"r\"}",
				"bad_request", "r"));
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("errorFrames")
	void aBadFrameIsAnsweredWithItsErrorCodeAndChangesNothing(String name, String frame, String code,
			@Nullable String ref) {
		String cookie = SIGNER.issue();
		String groupId = groupOf(cookie);
		try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + cookie)) {
			client.next("hello");
			client.sendText(frame);
			JsonNode error = client.next();
			assertThat(error.get("type").asString()).isEqualTo("error");
			assertThat(error.get("code").asString()).isEqualTo(code);
			if (ref != null) {
				assertThat(error.get("ref").asString()).isEqualTo(ref);
			}
			else {
				assertThat(error.get("ref").isNull()).isTrue();
			}
			assertThat(error.get("message").asString()).isNotBlank()
				.doesNotContain("Exception")
				.doesNotContain(".java");
			assertUnchanged(groupId);
			client.action("echo", "still open", "after");
			assertThat(client.next("reply").get("data").asString()).as("the connection stays open")
				.isEqualTo("still open");
		}
		assertTheServerServesANormalClient();
	}

	// Frames that close the connection

	static Stream<Arguments> closingFrames() {
		List<Arguments> cases = new ArrayList<>();
		// Binary frames
		// Above Tomcat's binary buffer (8 KiB) too: livesession closes on the first part,
		// before the container would with a text of its own
		for (int size : new int[] { 0, 1, 3, 125, 126, 1000, 8000, 8192, 8193, 20_000, 64 * 1024 }) {
			cases.add(
					closing("binary frame of " + size + " bytes", (client) -> client.sendBinary(new byte[size]), 1003));
		}
		cases.add(closing("an action as a binary frame",
				(client) -> client
					.sendBinary("{\"type\":\"action\",\"action\":\"increment\"}".getBytes(StandardCharsets.UTF_8)),
				1003));
		// Text frames above the limit
		// Larger ones would race: the server closes while the client is still writing,
		// and
		// the client may see its socket reset (1006) instead of the close frame.
		for (int size : new int[] { LIMIT + 1, LIMIT + 100, 2 * LIMIT, 16 * 1024, 64 * 1024 }) {
			cases.add(closing("text frame of " + size + " characters", (client) -> client.sendText("x".repeat(size)),
					1009));
		}
		// The container counts the limit in characters, not bytes
		cases.add(closing("text frame of " + (LIMIT + 1) + " three-byte characters",
				(client) -> client.sendText("€".repeat(LIMIT + 1)), 1009));
		cases.add(closing("an action above the limit",
				(client) -> client
					.sendText("{\"type\":\"action\",\"action\":\"increment\",\"data\":\"" + "x".repeat(LIMIT) + "\"}"),
				1009));
		cases.add(closing("arrays nested beyond the limit",
				(client) -> client.sendText(ECHO.formatted("[".repeat(LIMIT) + "]".repeat(LIMIT))), 1009));
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("closingFrames")
	void aFrameThatClosesTheConnectionChangesNothing(String name, Consumer<LiveTestClient> send, int closeCode) {
		String cookie = SIGNER.issue();
		try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + cookie)) {
			client.next("hello");
			try {
				send.accept(client);
			}
			catch (IllegalStateException ex) {
				// The server closed the connection while a large frame was still being
				// written.
			}
			CloseReason reason = client.awaitClose(Duration.ofSeconds(10));
			assertThat(reason.getCloseCode().getCode()).isEqualTo(closeCode);
			assertThat(reason.getReasonPhrase()).as("livesession's own words")
				.isEqualTo((closeCode == 1003) ? "binary frames are not accepted" : "frame too large");
		}
		assertUnchanged(groupOf(cookie));
		assertTheServerServesANormalClient();
	}

	// Frames no WebSocket client library sends: invalid UTF-8, broken framing

	static Stream<Arguments> rawFrames() {
		List<Arguments> cases = new ArrayList<>();
		// Invalid UTF-8 in a text frame: the container closes with 1007
		for (int[] bytes : new int[][] { { 0xFF }, { 0xFE }, { 0x80 }, { 0xBF }, { 0xC0, 0x80 }, { 0xC1, 0xBF },
				{ 0xC3, 0x28 }, { 0xA0, 0xA1 }, { 0xE2, 0x28, 0xA1 }, { 0xE2, 0x82, 0x28 }, { 0xE0, 0x80, 0xAF },
				{ 0xED, 0xA0, 0x80 }, { 0xED, 0xBF, 0xBF }, { 0xF0, 0x28, 0x8C, 0xBC }, { 0xF0, 0x90, 0x28, 0xBC },
				{ 0xF4, 0x90, 0x80, 0x80 }, { 0xF8, 0x88, 0x80, 0x80, 0x80 }, { 0xFC, 0x84, 0x80, 0x80, 0x80, 0x80 },
				{ 0xE2, 0x82 }, { 0xF0, 0x9F, 0x99 } }) {
			byte[] payload = bytes(bytes);
			cases.add(raw("invalid UTF-8 " + hex(payload), (socket) -> socket.sendText(payload), 1007));
		}
		byte[] prefix = "{\"type\":\"action\",\"action\":\"increment\",\"data\":\"".getBytes(StandardCharsets.UTF_8);
		byte[] inString = new byte[prefix.length + 3];
		System.arraycopy(prefix, 0, inString, 0, prefix.length);
		inString[prefix.length] = (byte) 0xFF;
		inString[prefix.length + 1] = '"';
		inString[prefix.length + 2] = '}';
		cases.add(raw("an action with invalid UTF-8 in its data", (socket) -> socket.sendText(inString), 1007));
		cases.add(raw("invalid UTF-8 split over two fragments", (socket) -> {
			socket.sendFrame(false, 0, RawWebSocket.TEXT, "{\"type\":\"sync\"".getBytes(StandardCharsets.UTF_8), true);
			socket.sendFrame(true, 0, RawWebSocket.CONTINUATION, bytes(new int[] { 0xC3 }), true);
		}, 1007));
		// Frames that break RFC 6455: the container closes with 1002
		byte[] sync = "{\"type\":\"sync\"}".getBytes(StandardCharsets.UTF_8);
		cases.add(raw("an unmasked text frame", (socket) -> socket.sendFrame(true, 0, RawWebSocket.TEXT, sync, false),
				1002));
		for (int rsv : new int[] { 1, 2, 4, 7 }) {
			cases.add(raw("a text frame with reserved bits " + rsv,
					(socket) -> socket.sendFrame(true, rsv, RawWebSocket.TEXT, sync, true), 1002));
		}
		for (int opcode : new int[] { 0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF }) {
			cases.add(raw("a frame with reserved opcode " + opcode,
					(socket) -> socket.sendFrame(true, 0, opcode, sync, true), 1002));
		}
		cases.add(raw("a ping of 126 bytes",
				(socket) -> socket.sendFrame(true, 0, RawWebSocket.PING, new byte[126], true), 1002));
		cases.add(raw("a fragmented ping", (socket) -> socket.sendFrame(false, 0, RawWebSocket.PING, new byte[1], true),
				1002));
		cases.add(raw("a continuation without a start",
				(socket) -> socket.sendFrame(true, 0, RawWebSocket.CONTINUATION, sync, true), 1002));
		cases.add(raw("a new text frame inside a fragmented one", (socket) -> {
			socket.sendFrame(false, 0, RawWebSocket.TEXT, "{\"type\":".getBytes(StandardCharsets.UTF_8), true);
			socket.sendFrame(true, 0, RawWebSocket.TEXT, sync, true);
		}, 1002));
		cases.add(raw("a close frame with a 1-byte payload",
				(socket) -> socket.sendFrame(true, 0, RawWebSocket.CLOSE, new byte[] { 3 }, true), 1002));
		for (int code : new int[] { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000 }) {
			cases.add(raw("a close frame with code " + code, (socket) -> socket.sendFrame(true, 0, RawWebSocket.CLOSE,
					new byte[] { (byte) (code >>> 8), (byte) code }, true), 1002));
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("rawFrames")
	void aFrameOutsideTheWebSocketRulesClosesTheConnectionAndChangesNothing(String name, Consumer<RawWebSocket> send,
			int closeCode) {
		String cookie = SIGNER.issue();
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", List.of("Cookie: LIVESESSION=" + cookie))) {
			assertThat(socket.status()).isEqualTo(101);
			assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
			send.accept(socket);
			assertThat(socket.awaitCloseCode(Duration.ofSeconds(10))).isEqualTo(closeCode);
		}
		assertUnchanged(groupOf(cookie));
		assertTheServerServesANormalClient();
	}

	// Handshakes refused before the upgrade

	static Stream<Arguments> refusedHandshakes() {
		List<Arguments> cases = new ArrayList<>();
		for (String origin : List.of("https://evil.com", "http://evil.com", "https://example.com", "http://example.com",
				"https://example.com.evil.com", "https://evilexample.com", "https://app.example.com.evil.com",
				"https://app.example.co", "https://app.example.com.", "http://app.example.com", "ws://app.example.com",
				"wss://app.example.com", "ftp://app.example.com", "https://app.example.com:8443",
				"https://app.example.com:443.evil.com", "https://app.example.com@evil.com",
				"https://app.example.com:abc", "http://127.0.0.1:99999", "http://[::1", "https://", "%", "::::",
				"https://exa mple.com", "http://127.0.0.1:-1", "null", "file://", "chrome-extension://abcdefghijklmnop",
				"https://127.0.0.1", "http://127.0.0.1", "http://127.0.0.1:1", "http://localhost", "https://[::1]",
				"http://127.0.0.1.evil.com", "http://0x7f000001", "http://2130706433")) {
			cases.add(refused("origin " + origin, false, List.of("Origin: " + origin), 403));
		}
		cases.add(refused("a foreign origin with a user's credentials", false,
				List.of("Origin: https://evil.com", "Authorization: " + UserGroupsIntegrationTests.basic("alice")),
				403));
		String aliceWrong = Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));
		for (String authorization : List.of("", "Basic " + aliceWrong,
				"Basic " + base64("mallory:" + LiveTestApplication.PASSWORD), "Basic " + base64("alice:"),
				"Basic " + base64(":" + LiveTestApplication.PASSWORD), "Basic " + base64("alice"), "Basic !!!", "Basic",
				"Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "Digest username=\"alice\"",
				"Negotiate YWxpY2U=")) {
			List<String> headers = authorization.isEmpty() ? List.of() : List.of("Authorization: " + authorization);
			cases.add(refused("authentication required, Authorization: " + authorization, true, headers, 401));
		}
		cases.add(refused("authentication required, a forged session cookie", true,
				List.of("Cookie: JSESSIONID=0123456789ABCDEF0123456789ABCDEF"), 401));
		cases.add(refused("authentication required, a valid anonymous cookie", true,
				List.of("Cookie: LIVESESSION=" + VICTIM_COOKIE), 401));
		// Over Tomcat's 8 KB limit for the request head: refused by the container
		cases.add(refused("a cookie header of 9000 characters", false,
				List.of("Cookie: LIVESESSION=" + "A".repeat(9000)), 400));
		cases.add(refused("an origin header of 9000 characters", false,
				List.of("Origin: https://" + "a".repeat(9000) + ".example.com"), 400));
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("refusedHandshakes")
	void aRefusedHandshakeGetsItsStatusAndRegistersNothing(String name, boolean requireAuthentication,
			List<String> headers, int status) {
		int port = requireAuthentication ? authenticationRequiredPort() : this.port;
		SessionGroups groups = requireAuthentication ? authenticationRequired.getBean(SessionGroups.class)
				: this.groups;
		ConnectionRegistry registry = requireAuthentication ? authenticationRequired.getBean(ConnectionRegistry.class)
				: this.registry;
		// The anonymous cookie the handshake carries: the case's own, or a fresh one
		String cookie = headers.stream()
			.filter((header) -> header.startsWith("Cookie: LIVESESSION="))
			.map((header) -> header.substring("Cookie: LIVESESSION=".length()))
			.filter(SIGNER::verify)
			.findFirst()
			.orElse(SIGNER.issue());
		List<String> lines = new ArrayList<>(headers);
		if (headers.stream().noneMatch((header) -> header.startsWith("Cookie:"))) {
			lines.add("Cookie: LIVESESSION=" + cookie);
		}
		try (RawWebSocket socket = RawWebSocket.open(port, "/live", lines)) {
			assertThat(socket.status()).isEqualTo(status);
		}
		assertThat(registry.findByGroup(groupOf(cookie))).as("nothing registered").isEmpty();
		if (!cookie.equals(VICTIM_COOKIE) || requireAuthentication) {
			assertThat(groups.get(groupOf(cookie)).getAttributeNames()).as("no group created").isEmpty();
		}
		assertVictimUnchanged();
		if (requireAuthentication) {
			try (LiveTestClient alice = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/live"),
					Map.of("Authorization", UserGroupsIntegrationTests.basic("alice")))) {
				alice.next("hello");
				alice.action("echo", "served", "after");
				assertThat(alice.next("reply").get("data").asString()).isEqualTo("served");
			}
		}
		else {
			assertTheServerServesANormalClient();
		}
	}

	// Forged, oversized and duplicated anonymous cookies

	static Stream<Arguments> badCookies() {
		List<Arguments> cases = new ArrayList<>();
		String valid = SIGNER.issue();
		String other = SIGNER.issue();
		String victimId = AnonymousCookies.deriveId(VICTIM_COOKIE);
		List<String> forged = new ArrayList<>(List.of("", "A", valid.substring(1), valid + "A", valid + valid,
				"A".repeat(100), "A".repeat(1000), "A".repeat(4000), "alice", "admin", "user:alice", "anon:" + victimId,
				victimId.substring(0, 42) + "!", "null", "undefined", "\"" + valid + "\"", valid.substring(0, 42) + "=",
				valid.substring(0, 41) + "=="));
		// A cookie of the right length and alphabet whose last character has bits an
		// encoder never sets
		forged.add(valid.substring(0, 42) + "B" + valid.substring(43));
		// Well-formed but never issued (protocol 1.1): no tag, a made-up tag, another
		// value's tag, a tag under another key
		forged.add(AnonymousCookies.generate());
		forged.add(AnonymousCookies.generate() + "." + "A".repeat(43));
		forged.add(AnonymousCookies.generate() + other.substring(43));
		forged.add(new AnonymousCookies("LIVESESSION", Duration.ofDays(1), false).issue());
		for (char bad : new char[] { '+', '/', '.', '%', '~', '!', '*', '$', '(', ')' }) {
			forged.add(valid.substring(0, 20) + bad + valid.substring(21));
		}
		for (String value : forged) {
			cases.add(cookie("forged value \"" + abbreviate(value) + "\"", List.of("Cookie: LIVESESSION=" + value),
					null));
		}
		// The victim's derived id is no key to the victim's group
		cases.add(cookie("the victim's anonymous id as the value", List.of("Cookie: LIVESESSION=" + victimId),
				SIGNER.verify(victimId) ? victimId : null));
		cases.add(cookie("a name in other case", List.of("Cookie: livesession=" + VICTIM_COOKIE), null));
		// Duplicates: never trusted, whichever comes first
		cases.add(cookie("the same value twice", List.of("Cookie: LIVESESSION=" + valid + "; LIVESESSION=" + valid),
				null));
		cases.add(cookie("two valid values", List.of("Cookie: LIVESESSION=" + valid + "; LIVESESSION=" + other), null));
		cases.add(cookie("a valid value, then a malformed one",
				List.of("Cookie: LIVESESSION=" + valid + "; LIVESESSION=x"), null));
		cases.add(cookie("a malformed value, then a valid one", List.of("Cookie: LIVESESSION=x; LIVESESSION=" + valid),
				null));
		cases.add(cookie("the victim's value tossed next to the attacker's",
				List.of("Cookie: LIVESESSION=" + valid + "; LIVESESSION=" + VICTIM_COOKIE), null));
		cases.add(cookie("the victim's value tossed before the attacker's",
				List.of("Cookie: LIVESESSION=" + VICTIM_COOKIE + "; LIVESESSION=" + valid), null));
		cases.add(cookie("three values",
				List.of("Cookie: LIVESESSION=" + valid + "; LIVESESSION=" + other + "; LIVESESSION=" + SIGNER.issue()),
				null));
		cases.add(cookie("two cookie headers", List.of("Cookie: LIVESESSION=" + valid, "Cookie: LIVESESSION=" + other),
				null));
		cases.add(cookie("two cookie headers with the victim's value",
				List.of("Cookie: LIVESESSION=" + VICTIM_COOKIE, "Cookie: LIVESESSION=" + valid), null));
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("badCookies")
	void aBadCookieIsReplacedByAFreshOneAndNeverReachesAnotherGroup(String name, List<String> cookieHeaders,
			@Nullable String kept) {
		String groupId;
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", cookieHeaders)) {
			assertThat(socket.status()).isEqualTo(101);
			String issued = socket.responseCookie("LIVESESSION");
			if (kept == null) {
				assertThat(SIGNER.verify(issued)).as("a fresh cookie is issued").isTrue();
				assertThat(String.join("\n", cookieHeaders)).doesNotContain(issued);
				groupId = groupOf(issued);
			}
			else {
				assertThat(issued).as("a well-formed cookie is kept").isNull();
				groupId = groupOf(kept);
			}
			JsonNode hello = socket.nextJson();
			assertThat(hello.get("version").asLong()).isZero();
			assertThat(hello.get("state").has("secret")).isFalse();
			socket.sendText("{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"w\"}");
			JsonNode whoami = socket.nextJson();
			assertThat(whoami.at("/data/groupId").asString()).isEqualTo(groupId).isNotEqualTo(VICTIM_GROUP);
			assertThat(whoami.at("/data/userId").isNull()).isTrue();
		}
		assertUnchanged(groupId);
		assertTheServerServesANormalClient();
	}

	@Test
	void theCorpusHasAtLeast200Cases() {
		long total = errorFrames().count() + closingFrames().count() + rawFrames().count() + refusedHandshakes().count()
				+ badCookies().count();
		assertThat(total).isGreaterThanOrEqualTo(200);
	}

	// Helpers

	private static Arguments error(String name, String frame, String code, @Nullable String ref) {
		return Arguments.of(abbreviate(name), frame, code, ref);
	}

	private static Arguments closing(String name, Consumer<LiveTestClient> send, int closeCode) {
		return Arguments.of(name, send, closeCode);
	}

	private static Arguments raw(String name, Consumer<RawWebSocket> send, int closeCode) {
		return Arguments.of(name, send, closeCode);
	}

	private static Arguments refused(String name, boolean requireAuthentication, List<String> headers, int status) {
		return Arguments.of(abbreviate(name), requireAuthentication, headers, status);
	}

	private static Arguments cookie(String name, List<String> headers, @Nullable String kept) {
		return Arguments.of(name, headers, kept);
	}

	private static List<String> concat(List<String> values, String... more) {
		List<String> all = new ArrayList<>(values);
		all.addAll(List.of(more));
		return all;
	}

	private static String abbreviate(String text) {
		String visible = text.replace("\n", "\\n").replace("\u0000", "\\0").replace("\u0001", "\\1");
		return (visible.length() > 60) ? visible.substring(0, 40) + "... (" + visible.length() + " characters)"
				: visible;
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] bytes(int[] values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	private static String hex(byte[] bytes) {
		StringBuilder hex = new StringBuilder();
		for (byte b : bytes) {
			hex.append(String.format("%02X", b & 0xFF));
		}
		return hex.toString();
	}

	private static String groupOf(String cookie) {
		return "anon:" + AnonymousCookies.deriveId(cookie);
	}

	private static int authenticationRequiredPort() {
		return ((WebServerApplicationContext) authenticationRequired).getWebServer().getPort();
	}

	/**
	 * The sender's group is at version 0 with its initial state only, and the victim's
	 * group is as it was.
	 */
	private void assertUnchanged(String groupId) {
		SessionGroup group = this.groups.get(groupId);
		assertThat(group.getVersion()).as("version of the sender's group").isZero();
		assertThat(group.getAttributeNames()).isSubsetOf("counter");
		if (group.getAttributeNames().contains("counter")) {
			assertThat(group.getAttribute("counter", Map.class)).containsEntry("count", 0);
		}
		assertVictimUnchanged();
	}

	private void assertVictimUnchanged() {
		assertThat(this.groups.get(VICTIM_GROUP).getVersion()).as("version of the victim's group")
			.isEqualTo(this.victimVersion);
	}

	private void assertTheServerServesANormalClient() {
		try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + SIGNER.issue())) {
			assertThat(client.next("hello").get("version").asLong()).isZero();
			client.action("increment", null, "normal");
			assertThat(client.next("reply").at("/data/count").asInt()).isOne();
		}
	}

}
