package io.livesession.autoconfigure.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.livesession.SessionGroup;
import io.livesession.SessionGroups;
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
 * {@code POST /live/actions/{name}}: the WebSocket actions over HTTP, behind Spring
 * Security's form login and CSRF protection.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class HttpActionsIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Test
	void aJsonPostChangesTheGroupAndTheBrowsersOpenSocketGetsTheState() {
		Browser browser = new Browser(this.port);
		String token = browser.csrf("/login");
		try (LiveTestClient tab = browser.connect()) {
			HttpResponse<String> response = browser.postJson("/live/actions/add", "{\"value\":5}",
					Map.of("X-CSRF-TOKEN", token));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
			assertThat(json.readTree(response.body())).hasToString("{\"type\":\"reply\",\"data\":5}");
			JsonNode state = tab.next("state");
			assertThat(state.at("/state/counter/count").asInt()).isEqualTo(5);
			assertThat(state.get("version").asLong()).isEqualTo(1);
		}
	}

	@Test
	void aFormPostActsForTheLoggedInUserAndReachesEverySocketOfTheUser() {
		Browser browser = new Browser(this.port);
		browser.login("carol");
		try (LiveTestClient tab = browser.connect()) {
			long before = this.groups.get("user:carol").getVersion();
			HttpResponse<String> response = browser.post("/live/actions/put",
					Map.of("note", "from a form", "_csrf", browser.csrf("/logout")));
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode state = tab.next("state");
			assertThat(state.at("/state/note").asString()).isEqualTo("from a form");
			assertThat(state.has("_csrf")).isFalse();
			SessionGroup after = this.groups.get("user:carol");
			assertThat(after.getVersion()).isEqualTo(before + 1);
			assertThat(after.getAttribute("note", String.class)).isEqualTo("from a form");
			assertThat(after.getAttributeNames()).doesNotContain("_csrf");
		}
	}

	@Test
	void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
		Browser browser = new Browser(this.port);
		browser.login("bob");
		try (LiveTestClient tab = browser.connect()) {
			long before = this.groups.get("user:bob").getVersion();
			HttpResponse<String> json = browser.postJson("/live/actions/increment", "", Map.of());
			HttpResponse<String> form = browser.post("/live/actions/increment", Map.of());
			assertThat(json.statusCode()).isEqualTo(403);
			assertThat(form.statusCode()).isEqualTo(403);
			assertThat(this.groups.get("user:bob").getVersion()).isEqualTo(before);
			assertThat(tab.poll(Duration.ofMillis(300))).as("no state frame").isNull();
		}
	}

	@Test
	void aForbiddenActionGets403AndTheErrorFrameOfTheWebSocket() {
		Browser browser = new Browser(this.port);
		browser.login("alice");
		String token = browser.csrf("/logout");
		try (LiveTestClient tab = browser.connect()) {
			long before = this.groups.get("user:alice").getVersion();
			HttpResponse<String> response = browser.postJson("/live/actions/adminReset", "",
					Map.of("X-CSRF-TOKEN", token));
			assertThat(response.statusCode()).isEqualTo(403);
			JsonNode body = json.readTree(response.body());
			tab.action("adminReset", null, null);
			JsonNode frame = tab.next("error");
			assertThat(body.propertyNames()).containsExactly("type", "ref", "code", "message");
			assertThat(body.get("code").asString()).isEqualTo("forbidden");
			assertThat(body).isEqualTo(frame);
			assertThat(this.groups.get("user:alice").getVersion()).isEqualTo(before);
		}
	}

	@Test
	void anAnonymousCallerOfAnAuthenticatedActionGets401() {
		Browser browser = new Browser(this.port);
		String token = browser.csrf("/login");
		HttpResponse<String> response = browser.postJson("/live/actions/securityContext", "",
				Map.of("X-CSRF-TOKEN", token));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(json.readTree(response.body()).get("code").asString()).isEqualTo("unauthorized");
	}

	@Test
	void badInputGetsTheProtocolsCodesAsStatuses() {
		Browser browser = new Browser(this.port);
		browser.login("admin");
		Map<String, String> csrf = Map.of("X-CSRF-TOKEN", browser.csrf("/logout"));
		long before = this.groups.get("user:admin").getVersion();
		assertThat(browser.postJson("/live/actions/nope", "", csrf).statusCode()).isEqualTo(404);
		HttpResponse<String> notJson = browser.postJson("/live/actions/add", "{\"value\":", csrf);
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(json.readTree(notJson.body()).get("code").asString()).isEqualTo("bad_request");
		assertThat(browser.postJson("/live/actions/add", "{\"value\":\"x\"}", csrf).statusCode()).isEqualTo(400);
		assertThat(browser.postJson("/live/actions/add", "x".repeat(70_000), csrf).statusCode()).isEqualTo(400);
		assertThat(browser.postJson("/live/actions/fail", "", csrf).statusCode()).isEqualTo(500);
		assertThat(browser.get("/live/actions/increment").statusCode()).isEqualTo(405);
		assertThat(this.groups.get("user:admin").getVersion()).isEqualTo(before);
	}

	@Test
	void aForeignOriginIsRefused() {
		Browser browser = new Browser(this.port);
		browser.login("admin");
		long before = this.groups.get("user:admin").getVersion();
		HttpResponse<String> response = browser.postJson("/live/actions/increment", "",
				Map.of("X-CSRF-TOKEN", browser.csrf("/logout"), "Origin", "https://evil.example"));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.groups.get("user:admin").getVersion()).isEqualTo(before);
	}

}
