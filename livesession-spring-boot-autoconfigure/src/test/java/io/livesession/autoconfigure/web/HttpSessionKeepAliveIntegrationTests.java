package io.livesession.autoconfigure.web;

import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open connection keeps its HTTP session (the servlet container's) alive past the
 * session timeout; a session without one expires.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "livesession.security.session-check-interval=200ms")
class HttpSessionKeepAliveIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void anOpenSocketKeepsItsHttpSessionAlivePastTheSessionTimeout() throws InterruptedException {
		Browser connected = new Browser(this.port);
		connected.login("alice");
		Browser idle = new Browser(this.port);
		idle.login("bob");
		try (LiveTestClient client = connected.connect()) {
			connected.get("/test/session-timeout?seconds=2");
			idle.get("/test/session-timeout?seconds=2");
			// Three session timeouts without a request from either browser.
			Thread.sleep(6000);
			assertThat(client.isClosed()).isFalse();
			assertThat(connected.currentUser()).isEqualTo("alice");
			assertThat(idle.currentUser()).as("the session without a connection expired").isNull();
			RevocationIntegrationTests.assertStillServed(client, "alice");
		}
	}

}
