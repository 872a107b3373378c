package io.livesession.autoconfigure.web;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.livesession.ConnectionRegistry;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.limits.ConnectionLimits;
import io.livesession.test.HttpBrowser;
import io.livesession.test.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection limits with the shipped defaults: 32 connections per user and per
 * anonymous browser, 100 per remote address, 10,000 per instance. Each first refusal is a
 * 429 (503 for the instance) with {@code Retry-After}, before the upgrade, with nothing
 * registered, no cookie issued, and {@code livesession.refusals} raised.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=shipped-defaults")
class ConnectionLimitsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	ConnectionLimits limits;

	@Autowired
	SessionGroups groups;

	@Autowired
	MeterRegistry meters;

	private final List<RawWebSocket> open = new ArrayList<>();

	@BeforeEach
	@AfterEach
	void closeAll() {
		this.open.forEach(RawWebSocket::close);
		this.open.clear();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.limits.getConnectionCount() == 0);
	}

	@Test
	void theShippedDefaultsAreInEffect() {
		assertThat(this.limits.getSettings()).isEqualTo(new ConnectionLimits.Settings(32, 32, 100, 10_000, 100));
	}

	@Test
	void theThirtyThirdConnectionOfOneBrowserGets429WithRetryAfterAndNoCookie() {
		String cookie = existingGroupCookie();
		for (int i = 0; i < 32; i++) {
			assertThat(connect(cookieHeader(cookie)).status()).isEqualTo(101);
		}
		double before = refusals("browser");
		RawWebSocket refused = connect(cookieHeader(cookie));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("retry-after")).containsExactly("5");
		assertThat(refused.header("set-cookie")).isEmpty();
		assertThat(this.registry.getConnectionCount()).isEqualTo(32);
		assertThat(refusals("browser")).isEqualTo(before + 1);
	}

	@Test
	void theThirtyThirdConnectionOfOneUserGets429() {
		for (int i = 0; i < 32; i++) {
			assertThat(connect(auth("alice")).status()).isEqualTo(101);
		}
		double before = refusals("user");
		RawWebSocket refused = connect(auth("alice"));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("retry-after")).containsExactly("5");
		assertThat(this.registry.getConnectionCount()).isEqualTo(32);
		assertThat(refusals("user")).isEqualTo(before + 1);
		// Another user is not concerned.
		assertThat(connect(auth("bob")).status()).isEqualTo(101);
	}

	@Test
	void theHundredAndFirstConnectionFromOneAddressGets429() {
		for (String user : List.of("alice", "bob", "admin")) {
			for (int i = 0; i < 32; i++) {
				assertThat(connect(auth(user)).status()).isEqualTo(101);
			}
		}
		for (int i = 0; i < 4; i++) {
			assertThat(connect(cookieHeader(existingGroupCookie())).status()).isEqualTo(101);
		}
		assertThat(this.registry.getConnectionCount()).isEqualTo(100);
		double before = refusals("address");
		RawWebSocket refused = connect(cookieHeader(existingGroupCookie()));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("retry-after")).containsExactly("5");
		assertThat(refused.header("set-cookie")).isEmpty();
		assertThat(this.registry.getConnectionCount()).isEqualTo(100);
		assertThat(refusals("address")).isEqualTo(before + 1);
	}

	@Test
	void oneCookieOpening2000SocketsIsRefusedLongBeforeMemoryRunsShortAndOthersAreStillServed() {
		String cookie = existingGroupCookie();
		long heapBefore = usedHeap();
		int accepted = 0;
		int refused = 0;
		for (int i = 0; i < 2000; i++) {
			RawWebSocket socket = RawWebSocket.open(this.port, "/live", cookieHeader(cookie));
			if (socket.status() == 101) {
				accepted++;
				this.open.add(socket);
			}
			else {
				assertThat(socket.status()).isEqualTo(429);
				assertThat(socket.header("retry-after")).isNotEmpty();
				socket.close();
				refused++;
			}
		}
		assertThat(accepted).isEqualTo(32);
		assertThat(refused).isEqualTo(1968);
		assertThat(this.registry.getConnectionCount()).isEqualTo(32);
		// 32 connections at about 100 KB each, not 2,000: far below what the heap holds.
		assertThat(usedHeap() - heapBefore).isLessThan(Runtime.getRuntime().maxMemory() / 4);
		// Others are still served: another browser connects and gets its hello, a page
		// is answered.
		try (RawWebSocket other = RawWebSocket.open(this.port, "/live", cookieHeader(existingGroupCookie()))) {
			assertThat(other.status()).isEqualTo(101);
			assertThat(other.nextJson().get("type").asString()).isEqualTo("hello");
		}
		assertThat(page()).isEqualTo(200);
	}

	@Test
	void anHttpActionOverTheRateLimitGets429WithRetryAfterToo() throws Exception {
		String cookie = existingGroupCookie();
		HttpClient http = HttpClient.newHttpClient();
		// The burst is 40, refilled at 20 per second: 100 actions sent at once exceed it
		// however slowly the machine serves them (one after the other, 60 actions were
		// not enough when each took over 16 ms on a loaded machine).
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			responses.add(http.sendAsync(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/live/actions/increment"))
						.header("Cookie", "LIVESESSION=" + cookie)
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		List<HttpResponse<String>> refused = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
			assertThat(answer.statusCode()).isIn(200, 429);
			if (answer.statusCode() == 429) {
				refused.add(answer);
			}
		}
		assertThat(refused).isNotEmpty();
		assertThat(refused).allSatisfy((response) -> {
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(response.body()).contains("\"code\":\"rate_limited\"");
		});
	}

	private RawWebSocket connect(List<String> headers) {
		RawWebSocket socket = RawWebSocket.open(this.port, "/live", headers);
		this.open.add(socket);
		if (socket.status() == 101) {
			assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
		}
		return socket;
	}

	/**
	 * A cookie whose group exists already, so that its handshakes do not count against
	 * the new-group limit of 127.0.0.1 (see NewGroupLimitIntegrationTests).
	 */
	private String existingGroupCookie() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		this.groups.update("anon:" + AnonymousCookies.deriveId(cookie), (state) -> {
			state.setAttribute("existing", true);
			return null;
		});
		return cookie;
	}

	static List<String> cookieHeader(String cookie) {
		return List.of("Cookie: LIVESESSION=" + cookie);
	}

	static List<String> auth(String user) {
		return List.of("Authorization: " + UserGroupsIntegrationTests.basic(user));
	}

	private double refusals(String limit) {
		return this.meters.get("livesession.refusals").tag("limit", limit).counter().count();
	}

	private int page() {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI
				.create("http://127.0.0.1:" + this.port + "/livesession/livesession.js")
				.toURL()
				.openConnection();
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(5000);
			try (InputStream in = connection.getInputStream()) {
				in.readAllBytes();
			}
			return connection.getResponseCode();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long usedHeap() {
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
