package io.livesession.autoconfigure.web;

import java.util.Map;

import io.livesession.ConnectionRegistry;
import io.livesession.test.RawHandshake;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code require-authentication} and {@code allowed-origins}.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "livesession.require-authentication=true", "livesession.allowed-origins=https://*.example.com" })
class HandshakePolicyIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Test
	void anAnonymousHandshakeGets401BeforeTheUpgrade() {
		RawHandshake.Response response = RawHandshake.send(this.port, "/live", Map.of());
		assertThat(response.status()).isEqualTo(401);
		assertThat(this.registry.getConnectionCount()).isZero();
	}

	@Test
	void wrongCredentialsAreRefusedToo() {
		RawHandshake.Response response = RawHandshake.send(this.port, "/live", Map.of("Authorization",
				"Basic " + java.util.Base64.getEncoder().encodeToString("alice:wrong".getBytes())));
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void anAuthenticatedHandshakeIsUpgraded() {
		RawHandshake.Response response = RawHandshake.send(this.port, "/live",
				Map.of("Authorization", UserGroupsIntegrationTests.basic("alice")));
		assertThat(response.status()).isEqualTo(101);
	}

	@Test
	void anOriginMatchingAnAllowedPatternIsAccepted() {
		RawHandshake.Response response = RawHandshake.send(this.port, "/live",
				Map.of("Origin", "https://app.example.com", "Authorization", UserGroupsIntegrationTests.basic("bob")));
		assertThat(response.status()).isEqualTo(101);
	}

	@Test
	void anOriginOutsideThePatternsIsRefusedBeforeAuthentication() {
		RawHandshake.Response response = RawHandshake.send(this.port, "/live",
				Map.of("Origin", "https://example.org", "Authorization", UserGroupsIntegrationTests.basic("bob")));
		assertThat(response.status()).isEqualTo(403);
		RawHandshake.Response anonymous = RawHandshake.send(this.port, "/live",
				Map.of("Origin", "https://example.org"));
		assertThat(anonymous.status()).isEqualTo(403);
	}

}
