package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anonymous cookie is bound to logins: a fresh value at login and at logout, and a
 * login revokes every connection opened under the same HTTP session, whatever cookie it
 * carried.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class CookieBindingIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void theCookieValueChangesAtLoginAndAtLogoutAndAnonymousStateDoesNotComeBack() {
		Browser browser = new Browser(this.port);
		browser.get("/login");
		String beforeLogin = browser.cookie("LIVESESSION");
		assertThat(beforeLogin).isNotNull();
		try (LiveTestClient anonymous = browser.connect()) {
			anonymous.action("put", Map.of("draft", "typed before login"), "put");
			anonymous.next("reply");
		}
		browser.login("carol");
		String afterLogin = browser.cookie("LIVESESSION");
		assertThat(afterLogin).isNotNull().isNotEqualTo(beforeLogin);
		browser.logout();
		String afterLogout = browser.cookie("LIVESESSION");
		assertThat(afterLogout).isNotNull().isNotIn(beforeLogin, afterLogin);
		assertThat(browser.currentUser()).isNull();
		try (LiveTestClient anonymousAgain = browser.connect()) {
			JsonNode hello = anonymousAgain.getReceived().get(0);
			assertThat(hello.get("userId").isNull()).isTrue();
			assertThat(hello.at("/state/draft").isMissingNode()).as("a fresh anonymous group after logout").isTrue();
		}
	}

	@Test
	void bobsSocketIsRevokedWhenAliceLogsInOnTheSameHttpSession() {
		Browser browser = new Browser(this.port);
		browser.login("bob");
		// A socket of bob's under the same HTTP session, but with another anonymous
		// cookie (here none: the handshake issues it one): the browser revocation
		// alone would not find it.
		String sessionOnly = String.join("; ",
				List.of(browser.cookieHeader().split("; "))
					.stream()
					.filter((pair) -> !pair.startsWith("LIVESESSION="))
					.toList());
		assertThat(sessionOnly).isNotEmpty();
		try (LiveTestClient bob = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + this.port + "/live"),
				Map.of("Cookie", sessionOnly))) {
			assertThat(bob.next("hello").get("userId").asString()).isEqualTo("bob");
			assertThat(bob.responseCookie("LIVESESSION")).as("another anonymous cookie").isNotNull();
			browser.login("alice");
			assertThat(browser.currentUser()).isEqualTo("alice");
			RevocationIntegrationTests.assertRevoked(bob, Duration.ofSeconds(1));
		}
	}

	@Test
	void theUsersOwnSocketsOnOtherSessionsSurviveALogin() {
		Browser laptop = new Browser(this.port);
		laptop.login("admin");
		try (LiveTestClient onLaptop = laptop.connect()) {
			Browser phone = new Browser(this.port);
			phone.login("admin");
			RevocationIntegrationTests.assertStillServed(onLaptop, "admin");
		}
	}

}
