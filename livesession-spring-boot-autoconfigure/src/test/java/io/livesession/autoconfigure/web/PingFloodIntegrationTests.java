package io.livesession.autoconfigure.web;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.livesession.ConnectionRegistry;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.RawWebSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ping flood from sockets that never read, with the shipped defaults: as many sockets
 * as one address may open (100; the 101st is refused), each flooding pings, while a page
 * is requested again and again. Tomcat answers each ping with a blocking pong on a worker
 * thread; once a flooder's buffers are full, that pong gives up after the control frame
 * timeout (250 ms) and the flooder is closed, so no worker thread is held for long.
 * Tomcat's socket send buffers are small here (4 KB), and so are the flooders' receive
 * buffers, so that the buffers are full after a few dozen pongs rather than megabytes:
 * that state, which the flood reaches anyway, is what is tested, without megabytes of
 * pings burning the test machine's CPU.
 */
@SpringBootTest(classes = { LiveTestApplication.class, PingFloodIntegrationTests.SmallSocketBuffers.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.config.name=shipped-defaults")
class PingFloodIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	SessionGroups groups;

	@Test
	void aPingFloodFromAsManyNonReadingSocketsAsOneAddressMayOpenDoesNotDelayAPageByMoreThan500Ms() throws Exception {
		Flood.run(this.port, this.registry, this.groups);
	}

	/**
	 * Tomcat's socket send buffer of 4 KB.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SmallSocketBuffers {

		@Bean
		TomcatConnectorCustomizer smallSendBuffers() {
			return (connector) -> connector.setProperty("socket.txBufSize", "4096");
		}

	}

	/**
	 * The flood and its measurement, shared with
	 * {@link PingFloodFewThreadsIntegrationTests}.
	 */
	static final class Flood {

		static final int SOCKETS = 100;

		static void run(int port, ConnectionRegistry registry, SessionGroups groups) throws Exception {
			List<RawWebSocket> flooders = new ArrayList<>();
			AtomicBoolean stop = new AtomicBoolean();
			List<Thread> threads = new ArrayList<>();
			try {
				// 4 browsers of 25 sockets: below the per-browser limit, at the
				// per-address
				// one.
				List<String> cookies = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					String cookie = HttpBrowser.anonymousCookie(port);
					groups.update("anon:" + AnonymousCookies.deriveId(cookie), (state) -> {
						state.setAttribute("flood", true);
						return null;
					});
					cookies.add(cookie);
				}
				for (int i = 0; i < SOCKETS; i++) {
					RawWebSocket socket = RawWebSocket.open(port, "/live",
							ConnectionLimitsIntegrationTests.cookieHeader(cookies.get(i % 4)), 4096);
					assertThat(socket.status()).isEqualTo(101);
					flooders.add(socket);
				}
				try (RawWebSocket refused = RawWebSocket.open(port, "/live",
						ConnectionLimitsIntegrationTests.cookieHeader(cookies.get(0)))) {
					assertThat(refused.status()).as("the 101st socket of 127.0.0.1").isEqualTo(429);
				}
				assertThat(page(port)).as("a page before the flood").isLessThan(Duration.ofSeconds(2));
				byte[] pings = pings(200);
				for (RawWebSocket socket : flooders) {
					Thread thread = new Thread(() -> {
						// Until the server closes the socket (or the test ends): never
						// read.
						while (!stop.get()) {
							try {
								socket.sendRaw(pings);
							}
							catch (IllegalStateException ex) {
								return;
							}
						}
					});
					thread.setDaemon(true);
					thread.start();
					threads.add(thread);
				}
				Duration slowest = Duration.ZERO;
				List<String> timeline = new ArrayList<>();
				long start = System.nanoTime();
				long end = start + Duration.ofSeconds(8).toNanos();
				while (System.nanoTime() < end) {
					Duration took = page(port);
					slowest = (took.compareTo(slowest) > 0) ? took : slowest;
					timeline.add((System.nanoTime() - start) / 1_000_000 + "ms: " + took.toMillis() + "ms, "
							+ registry.getConnectionCount() + " open");
					Thread.sleep(20);
				}
				assertThat(slowest).as("the slowest page during the flood, of %s", timeline)
					.isLessThan(Duration.ofMillis(500));
				// Each flooder whose pong could not be written was closed, freeing its
				// thread: none of them holds one.
				Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(registry.getConnectionCount()).isZero());
			}
			finally {
				stop.set(true);
				flooders.forEach(RawWebSocket::close);
				for (Thread thread : threads) {
					thread.join(5000);
				}
			}
		}

		/** Masked pings with 125 bytes of payload each, back to back. */
		private static byte[] pings(int count) {
			byte[] ping = new byte[2 + 4 + 125];
			ping[0] = (byte) 0x89;
			ping[1] = (byte) (0x80 | 125);
			byte[] all = new byte[ping.length * count];
			for (int i = 0; i < count; i++) {
				System.arraycopy(ping, 0, all, i * ping.length, ping.length);
			}
			return all;
		}

		static Duration page(int port) throws Exception {
			long start = System.nanoTime();
			HttpURLConnection connection = (HttpURLConnection) URI
				.create("http://127.0.0.1:" + port + "/livesession/livesession.js")
				.toURL()
				.openConnection();
			connection.setConnectTimeout(10_000);
			connection.setReadTimeout(10_000);
			try (InputStream in = connection.getInputStream()) {
				in.readAllBytes();
			}
			assertThat(connection.getResponseCode()).isEqualTo(200);
			return Duration.ofNanos(System.nanoTime() - start);
		}

	}

}
