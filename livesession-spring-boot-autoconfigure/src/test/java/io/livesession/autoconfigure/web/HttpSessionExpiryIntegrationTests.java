package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.event.RevocationReason;
import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without the keep-alive, an HTTP session expires under an open connection, and the check
 * closes the connection with 1008 within the check interval.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"livesession.security.session-check-interval=200ms", "livesession.security.keep-http-session-alive=false" })
class HttpSessionExpiryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LoginTestApplication.RecordedEvents events;

	@Test
	void anExpiredHttpSessionClosesItsSocketsWithinTheCheckInterval() {
		Browser browser = new Browser(this.port);
		browser.login("carol");
		browser.get("/test/session-timeout?seconds=1");
		try (LiveTestClient client = browser.connect()) {
			// The session expires one second after the handshake, its last access.
			RevocationIntegrationTests.assertRevoked(client, Duration.ofSeconds(1).plusMillis(200 + 800));
		}
		LiveConnectionRevokedEvent revoked = this.events.await(LiveConnectionRevokedEvent.class,
				(event) -> "carol".equals(event.getUserId()));
		assertThat(revoked.getReason()).isEqualTo(RevocationReason.HTTP_SESSION_ENDED);
		assertThat(browser.currentUser()).isNull();
	}

}
