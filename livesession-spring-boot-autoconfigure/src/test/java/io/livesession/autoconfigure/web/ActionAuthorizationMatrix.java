package io.livesession.autoconfigure.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.livesession.SessionGroups;
import io.livesession.event.LiveActionDeniedEvent;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.DefaultGroupResolver;
import io.livesession.test.LiveTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fail-closed authorization matrix, run by one test class per server and method
 * security setting: every method-security annotation, over WebSocket and over {@code POST
 * /live/actions/{name}}, for an admin, a plain user and an anonymous browser. The guard
 * runs exactly once per call; a denial answers {@code forbidden} (user) or
 * {@code unauthorized} (anonymous), publishes a {@link LiveActionDeniedEvent} and changes
 * nothing.
 */
abstract class ActionAuthorizationMatrix {

	/**
	 * Jetty instead of Tomcat: the test resources exclude Jetty's auto-configuration,
	 * this swaps it for Tomcat's, so Boot configures Jetty with its WebSocket support.
	 */
	static final String ON_JETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Autowired
	AnonymousCookies cookies;

	@Autowired
	GuardedActionsApplication.Evaluations evaluations;

	@Autowired
	GuardedActionsApplication.CountingRoleHierarchy roleHierarchy;

	@Autowired
	GuardedActionsApplication.DeniedEvents denied;

	@Autowired
	GuardedActionsApplication.GuardedActions actions;

	@Autowired
	WebServerApplicationContext context;

	/**
	 * The server the class expects to run on.
	 * @return a fragment of the web server's class name
	 */
	abstract String server();

	static Stream<Arguments> matrix() {
		List<Arguments> arguments = new ArrayList<>();
		for (String action : List.of("pre", "post", "secured", "rolesAllowed")) {
			for (Caller caller : Caller.values()) {
				for (Transport transport : Transport.values()) {
					arguments.add(Arguments.of(action, caller, transport));
				}
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} by {1} over {2}")
	@MethodSource("matrix")
	void theGuardRunsOnceAndOnlyTheAdminChangesTheGroup(String action, Caller caller, Transport transport)
			throws Exception {
		assertThat(this.context.getWebServer().getClass().getName()).containsIgnoringCase(server());
		String cookie = this.cookies.issue();
		String groupId = caller.groupId(cookie);
		long version = this.groups.get(groupId).getVersion();
		int runs = this.actions.runs();
		int evaluations = evaluations(action);
		int deniedEvents = this.denied.events.size();
		Outcome outcome = transport.call(this.port, action, caller, cookie);
		assertThat(evaluations(action) - evaluations).as("evaluations of the guard").isEqualTo(1);
		if (caller == Caller.ADMIN) {
			assertThat(outcome.code()).isNull();
			assertThat(outcome.status()).isEqualTo(200);
			assertThat(this.groups.get(groupId).getVersion()).isEqualTo(version + 1);
			assertThat(this.actions.runs()).isEqualTo(runs + 1);
			return;
		}
		String code = (caller == Caller.ANONYMOUS) ? "unauthorized" : "forbidden";
		assertThat(outcome.code()).isEqualTo(code);
		assertThat(outcome.status()).isEqualTo((caller == Caller.ANONYMOUS) ? 401 : 403);
		assertThat(this.groups.get(groupId).getVersion()).as("nothing committed").isEqualTo(version);
		// @PostAuthorize decides after the method ran; the others before.
		assertThat(this.actions.runs()).isEqualTo(action.equals("post") ? runs + 1 : runs);
		assertThat(this.denied.events).hasSize(deniedEvents + 1);
		LiveActionDeniedEvent event = this.denied.events.get(deniedEvents);
		assertThat(event.getAction()).isEqualTo(action);
		assertThat(event.getCode()).isEqualTo(code);
	}

	private int evaluations(String action) {
		return (action.equals("pre") || action.equals("post")) ? this.evaluations.count.get()
				: this.roleHierarchy.count.get();
	}

	enum Caller {

		ADMIN("admin"), USER("alice"), ANONYMOUS(null);

		private final @Nullable String user;

		Caller(@Nullable String user) {
			this.user = user;
		}

		String groupId(String cookie) {
			return (this.user != null) ? DefaultGroupResolver.USER_PREFIX + this.user
					: DefaultGroupResolver.ANONYMOUS_PREFIX + AnonymousCookies.deriveId(cookie);
		}

		Map<String, String> headers(String cookie) {
			return (this.user != null) ? Map.of("Authorization", UserGroupsIntegrationTests.basic(this.user))
					: Map.of("Cookie", "LIVESESSION=" + cookie);
		}

	}

	enum Transport {

		WEBSOCKET {
			@Override
			Outcome call(int port, String action, Caller caller, String cookie) {
				try (LiveTestClient client = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/live"),
						caller.headers(cookie))) {
					client.next("hello");
					client.action(action, null, "r1");
					JsonNode answer = client.next();
					while (answer.get("type").asString().equals("state")) {
						// The admin's own change comes back before the reply.
						answer = client.next();
					}
					assertThat(answer.get("ref").asString()).isEqualTo("r1");
					boolean error = answer.get("type").asString().equals("error");
					if (error) {
						assertThat(answer.get("message").asString()).doesNotContain("ADMIN").doesNotContain("@");
					}
					// The connection keeps serving after a denial.
					client.action("ping", null, "r2");
					assertThat(client.next("reply").get("ref").asString()).isEqualTo("r2");
					if (!error) {
						return new Outcome(200, null);
					}
					// WebSocket has no status: the one the code stands for over HTTP.
					String code = answer.get("code").asString();
					return new Outcome(code.equals("unauthorized") ? 401 : 403, code);
				}
			}
		},

		HTTP {
			@Override
			Outcome call(int port, String action, Caller caller, String cookie)
					throws IOException, InterruptedException {
				HttpRequest.Builder request = HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + "/live/actions/" + action))
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{}"));
				caller.headers(cookie).forEach(request::header);
				HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				JsonNode body = json.readTree(response.body());
				boolean error = body.get("type").asString().equals("error");
				return new Outcome(response.statusCode(), error ? body.get("code").asString() : null);
			}
		};

		abstract Outcome call(int port, String action, Caller caller, String cookie) throws Exception;

	}

	record Outcome(int status, @Nullable String code) {

	}

}
