package io.livesession.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.livesession.revocation.CredentialsExpiry;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawHandshake;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer-token handshakes with Spring Security's resource server: a socket is closed with
 * 1008 {@code revoked} when its token expires, a fresh token connects again, and a
 * tampered or expired token gets 401 before the upgrade.
 */
@SpringBootTest(classes = TokenTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "livesession.require-authentication=true")
class TokenHandshakeIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JwtDecoder decoder;

	@Autowired
	CredentialsExpiry expiry;

	private String token(long seconds) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/token?seconds=" + seconds))
			.header("Authorization", UserGroupsIntegrationTests.basic("alice"))
			.build();
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private LiveTestClient connect(String token) {
		LiveTestClient client = LiveTestClient
			.connect(URI.create("ws://127.0.0.1:" + this.port + "/live?access_token=" + token), Map.of());
		assertThat(client.next("hello").get("userId").asString()).isEqualTo("alice");
		return client;
	}

	@Test
	void aSocketIsRevokedWithinOneSecondAfterItsTokenExpiresAndAFreshTokenConnectsAgain() {
		String token = token(3);
		Instant expiresAt = this.decoder.decode(token).getExpiresAt();
		try (LiveTestClient client = connect(token)) {
			client.action("increment", null, "i");
			assertThat(client.next("reply").at("/data/count").asInt()).isEqualTo(1);
			CloseReason reason = client.awaitClose(Duration.ofSeconds(6));
			Instant closedAt = Instant.now();
			assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
			assertThat(reason.getReasonPhrase()).isEqualTo("revoked");
			assertThat(closedAt).isAfterOrEqualTo(expiresAt).isBefore(expiresAt.plusSeconds(1));
		}
		try (LiveTestClient again = connect(token(300))) {
			again.action("increment", null, "i");
			assertThat(again.next("reply").at("/data/count").asInt()).as("the same group").isEqualTo(2);
			assertThat(again.poll(Duration.ofMillis(300))).as("not revoked").isNull();
			assertThat(this.expiry.getPendingCount()).isEqualTo(1);
		}
	}

	@Test
	void aTamperedTokenGets401() {
		String token = token(300);
		String[] parts = token.split("\\.");
		String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
		assertThat(RawHandshake.send(this.port, "/live?access_token=" + forged, Map.of()).status()).isEqualTo(401);
	}

	@Test
	void anExpiredTokenGets401() {
		assertThat(RawHandshake.send(this.port, "/live?access_token=" + token(-1), Map.of()).status()).isEqualTo(401);
	}

	@Test
	void noTokenGets401() {
		assertThat(RawHandshake.send(this.port, "/live", Map.of()).status()).isEqualTo(401);
	}

}
