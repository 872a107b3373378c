package io.livesession.samples.counter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.livesession.ConnectionRegistry;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counter sample as samples.md describes it, over real HTTP and WebSocket.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CounterSampleTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void thePageSetsTheCookieAndUsesTheStartersBrowserClient() throws Exception {
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Set-Cookie")).hasValueSatisfying((
				cookie) -> assertThat(cookie).startsWith("LIVESESSION=").contains("HttpOnly").contains("SameSite=Lax"));
		assertThat(page.body()).contains("livesession.js").contains("increment");
		HttpResponse<String> client = get("/livesession/livesession.js");
		assertThat(client.statusCode()).isEqualTo(200);
		assertThat(client.body()).contains("export function connect");
	}

	@Test
	void tabsWithTheSameCookieShareTheCountAndAnotherCookieHasItsOwn() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient tab1 = LiveTestClient.connect(this.port, cookie);
				LiveTestClient tab2 = LiveTestClient.connect(this.port, cookie);
				LiveTestClient other = LiveTestClient.connect(this.port,
						"LIVESESSION=" + HttpBrowser.anonymousCookie(this.port))) {
			assertThat(tab1.next("hello").at("/state/counter/count").asInt()).isZero();
			assertThat(tab2.next("hello").at("/state/counter/count").asInt()).isZero();
			assertThat(other.next("hello").at("/state/counter/count").asInt()).isZero();
			tab1.action("increment", null, "1");
			assertThat(tab1.next("reply").get("data")).hasToString("{\"count\":1}");
			assertThat(tab2.next("state").at("/state/counter/count").asInt()).isEqualTo(1);
			tab2.action("increment", Map.of("by", 5), "2");
			assertThat(tab2.next("reply").at("/data/count").asInt()).isEqualTo(6);
			assertThat(tab1.next("state").at("/state/counter/count").asInt()).isEqualTo(6);
			tab1.action("decrement", Map.of("by", 2), "3");
			assertThat(tab1.next("reply").at("/data/count").asInt()).isEqualTo(4);
			tab1.action("decrement", null, "4");
			assertThat(tab1.next("reply").at("/data/count").asInt()).isEqualTo(3);
			tab2.action("reset", null, "5");
			assertThat(tab2.next("reply").at("/data/count").asInt()).isZero();
			JsonNode reset = tab1.next("state");
			assertThat(reset.at("/state/counter/count").asInt()).isZero();
			assertThat(reset.get("version").asLong()).isEqualTo(5);
			other.action("increment", null, "o");
			assertThat(other.next("reply").at("/data/count").asInt()).isEqualTo(1);
			assertThat(tab1.poll(Duration.ofMillis(300))).as("the other browser's count stays its own").isNull();
		}
	}

	@Test
	void theActuatorEndpointCountsThisInstancesConnections() throws Exception {
		try (LiveTestClient tab = LiveTestClient.connect(this.port, null)) {
			tab.next("hello");
			HttpResponse<String> response = get("/actuator/livesession");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode counts = JsonMapper.builder().build().readTree(response.body());
			assertThat(counts.get("connections").asInt()).isGreaterThanOrEqualTo(1);
			assertThat(counts.get("groups").asInt()).isGreaterThanOrEqualTo(1);
			assertThat(counts.get("users").asInt()).isZero();
			assertThat(counts.has("cluster")).as("in memory there is no cluster").isFalse();
		}
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
	}

	@Test
	void dataThatIsNotAStepIsABadRequest() {
		try (LiveTestClient tab = LiveTestClient.connect(this.port, null)) {
			tab.next("hello");
			tab.action("increment", Map.of("by", "lots"), "x");
			JsonNode error = tab.next("error");
			assertThat(error.get("code").asString()).isEqualTo("bad_request");
			assertThat(error.get("ref").asString()).isEqualTo("x");
			tab.action("increment", null, "y");
			assertThat(tab.next("reply").at("/data/count").asInt()).isEqualTo(1);
		}
	}

	@Test
	void aBadRequestForAStepThatIsNoIntegerNamesTheField() {
		try (LiveTestClient tab = LiveTestClient.connect(this.port, null)) {
			tab.next("hello");
			for (Object by : new Object[] { "x", 1.5, "5", true }) {
				tab.action("increment", Map.of("by", by), "x");
				JsonNode error = tab.next("error");
				assertThat(error.get("code").asString()).as("by %s", by).isEqualTo("bad_request");
				assertThat(error.get("message").asString()).as("by %s", by).isEqualTo("data.by: expected an integer");
			}
			tab.action("increment", null, "y");
			assertThat(tab.next("reply").at("/data/count").asInt()).as("nothing was counted").isEqualTo(1);
		}
	}

	@Test
	void aStepThatWouldOverflowTheCountIsABadRequestAndChangesNothing() {
		try (LiveTestClient tab = LiveTestClient.connect(this.port, null)) {
			tab.next("hello");
			tab.action("increment", Map.of("by", Integer.MAX_VALUE), "max");
			assertThat(tab.next("reply").at("/data/count").asInt()).isEqualTo(Integer.MAX_VALUE);
			tab.action("increment", Map.of("by", Integer.MAX_VALUE), "wrap");
			JsonNode error = tab.next("error");
			assertThat(error.get("code").asString()).isEqualTo("bad_request");
			assertThat(error.get("ref").asString()).isEqualTo("wrap");
			tab.action("decrement", Map.of("by", Integer.MIN_VALUE), "min");
			assertThat(tab.next("error").get("code").asString()).isEqualTo("bad_request");
			tab.action("decrement", null, "d");
			assertThat(tab.next("reply").at("/data/count").asInt()).as("unchanged until then")
				.isEqualTo(Integer.MAX_VALUE - 1);
		}
	}

	@Test
	void aStepWithADuplicateKeyIsABadRequest() {
		try (LiveTestClient tab = LiveTestClient.connect(this.port, null)) {
			tab.next("hello");
			tab.sendText("{\"type\":\"action\",\"action\":\"increment\",\"data\":{\"by\":1,\"by\":100},\"ref\":\"d\"}");
			JsonNode error = tab.next("error");
			assertThat(error.get("code").asString()).isEqualTo("bad_request");
			assertThat(error.get("message").asString()).contains("twice");
		}
	}

	@Test
	void anonymousActuatorWritesGet403AndReadsAreOpen() throws Exception {
		try (LiveTestClient tab = LiveTestClient.connect(this.port, null)) {
			String connectionId = tab.next("hello").get("connectionId").asString();
			HttpResponse<String> disconnect = this.http.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + this.port + "/actuator/livesession/connections/" + connectionId))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> erase = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/livesession/users/anyone"))
				.DELETE()
				.build(), HttpResponse.BodyHandlers.ofString());
			// The counter has no login: its livesession endpoint keeps Actuator's
			// read-only default, and every write is refused with 403 before it.
			assertThat(disconnect.statusCode()).isEqualTo(403);
			assertThat(erase.statusCode()).isEqualTo(403);
			assertThat(this.registry.find(connectionId)).as("not disconnected").isNotNull();
			assertThat(get("/actuator/livesession").statusCode()).isEqualTo(200);
			tab.action("increment", null, "still");
			assertThat(tab.next("reply").get("ref").asString()).isEqualTo("still");
		}
	}

}
