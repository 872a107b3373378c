package io.livesession.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.group.GroupStore;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * New anonymous groups per remote address, with the shipped default of 100 a minute,
 * shared by WebSocket handshakes and HTTP actions without a cookie: the 101st gets 429
 * with {@code Retry-After} and creates no group. Its own context (the application name
 * differs), since it uses up 127.0.0.1's budget for a minute.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=shipped-defaults", "spring.application.name=new-group-limit" })
class NewGroupLimitIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	GroupStore store;

	@Autowired
	MeterRegistry meters;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void theHundredAndFirstNewAnonymousGroupOfAMinuteGets429ByHandshakeAndByHttpAction() throws Exception {
		double before = refusals();
		long start = System.nanoTime();
		// New browsers, by WebSocket and by an HTTP action without a cookie in turn,
		// until
		// the first refusal.
		int created = 0;
		boolean refusedByHttp = false;
		while (created < 200) {
			if (created % 2 == 0) {
				if (handshake(AnonymousCookies.generate()) == 429) {
					break;
				}
			}
			else {
				HttpResponse<String> response = increment();
				if (response.statusCode() == 429) {
					assertRefusal(response);
					refusedByHttp = true;
					break;
				}
				assertThat(response.statusCode()).isEqualTo(200);
			}
			created++;
		}
		// 100, plus what the bucket refilled meanwhile (100 a minute).
		double elapsedSeconds = (System.nanoTime() - start) / 1e9;
		assertThat(created).isBetween(100, 100 + (int) Math.ceil(elapsedSeconds * 100 / 60) + 1);
		// The other transport is refused as well: within two attempts, since a token
		// refills only every 0.6 s.
		boolean refusedToo = false;
		for (int i = 0; i < 2 && !refusedToo; i++) {
			if (refusedByHttp) {
				refusedToo = handshake(AnonymousCookies.generate()) == 429;
			}
			else {
				HttpResponse<String> response = increment();
				refusedToo = response.statusCode() == 429;
				if (refusedToo) {
					assertRefusal(response);
				}
			}
		}
		assertThat(refusedToo).isTrue();
		// A refused handshake creates no group and issues no cookie.
		String cookie = HttpBrowser.anonymousCookie(this.port);
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live",
				ConnectionLimitsIntegrationTests.cookieHeader(cookie))) {
			if (socket.status() == 429) {
				assertThat(socket.header("retry-after")).isNotEmpty();
				assertThat(this.store.find("anon:" + AnonymousCookies.deriveId(cookie))).isNull();
			}
		}
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live", List.of())) {
			if (socket.status() == 429) {
				assertThat(socket.header("set-cookie")).isEmpty();
			}
		}
		assertThat(refusals()).isGreaterThanOrEqualTo(before + 2);
		// A browser whose group exists is not concerned.
		HttpResponse<String> known = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/live/actions/increment"))
				.header("Cookie", "LIVESESSION=" + this.knownCookie)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(known.statusCode()).isEqualTo(200);
	}

	private int handshake(String cookie) {
		try (RawWebSocket socket = RawWebSocket.open(this.port, "/live",
				ConnectionLimitsIntegrationTests.cookieHeader(cookie))) {
			if (socket.status() == 101) {
				assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
			}
			else {
				assertThat(socket.status()).isEqualTo(429);
				assertThat(socket.header("retry-after")).singleElement()
					.satisfies((seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
				assertThat(socket.header("set-cookie")).isEmpty();
				assertThat(this.store.find("anon:" + AnonymousCookies.deriveId(cookie))).isNull();
			}
			return socket.status();
		}
	}

	private static void assertRefusal(HttpResponse<String> refused) {
		assertThat(refused.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
		assertThat(refused.body()).contains("\"code\":\"rate_limited\"");
	}

	private double refusals() {
		return this.meters.get("livesession.refusals").tag("limit", "new-groups").counter().count();
	}

	/** The cookie of the last browser an HTTP action created a group for. */
	private String knownCookie = "";

	private HttpResponse<String> increment() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/live/actions/increment"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 200) {
			this.knownCookie = response.headers()
				.firstValue("Set-Cookie")
				.map((value) -> value.substring("LIVESESSION=".length(), value.indexOf(';')))
				.orElse(this.knownCookie);
		}
		return response;
	}

}
