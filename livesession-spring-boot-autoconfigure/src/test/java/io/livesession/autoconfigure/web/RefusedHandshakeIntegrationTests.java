package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.test.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A refused handshake says why at DEBUG and issues no anonymous cookie: a foreign origin,
 * a missing authentication, a connect hook's refusal. An accepted one still gets its
 * cookie.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "livesession.require-authentication=true", "logging.level.io.livesession=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class RefusedHandshakeIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Test
	void aCrossOriginHandshakeLogsItsOriginAndSetsNoCookie(CapturedOutput output) {
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", List.of("Origin: https://evil.example.org",
				"Authorization: " + UserGroupsIntegrationTests.basic("alice")))) {
			assertThat(socket.status()).isEqualTo(403);
			assertThat(socket.header("set-cookie")).isEmpty();
		}
		assertThat(output).contains("refused with 403: origin https://evil.example.org is not allowed");
		assertThat(this.registry.getConnectionCount()).isZero();
	}

	@Test
	void aHandshakeWithoutAuthenticationLogsWhyAndSetsNoCookie(CapturedOutput output) {
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", List.of())) {
			assertThat(socket.status()).isEqualTo(401);
			assertThat(socket.header("set-cookie")).isEmpty();
		}
		assertThat(output).contains("refused with 401: Authentication is required");
		assertThat(this.registry.getConnectionCount()).isZero();
	}

	@Test
	void aHandshakeAConnectHookRefusesLogsTheHooksReasonAndSetsNoCookie(CapturedOutput output) {
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live",
				List.of("X-Reject: banned tenant", "Authorization: " + UserGroupsIntegrationTests.basic("bob")))) {
			assertThat(socket.status()).isEqualTo(403);
			assertThat(socket.header("set-cookie")).isEmpty();
		}
		assertThat(output).contains("refused with 403: rejected: banned tenant");
		assertThat(this.registry.getConnectionCount()).isZero();
	}

	@Test
	void anAcceptedHandshakeWithoutACookieStillGetsOne() {
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live",
				List.of("Authorization: " + UserGroupsIntegrationTests.basic("alice")))) {
			assertThat(socket.status()).isEqualTo(101);
			assertThat(socket.responseCookie("LIVESESSION")).isNotNull();
		}
		// The server unregisters a closed connection when it has read the close: awaited,
		// so that the other tests of this context, which check that a refused handshake
		// registers nothing, start from an empty registry whatever their order (a loaded
		// machine once left this connection registered into the next test).
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.getConnectionCount() == 0);
	}

}
