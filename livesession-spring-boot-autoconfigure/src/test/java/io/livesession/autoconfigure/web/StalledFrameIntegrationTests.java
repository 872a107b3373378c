package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.ConnectionRegistry;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.RawWebSocket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame header announcing 2^40 bytes, then silence. Tomcat does not refuse the header
 * (its 1009 comes only once more than the text limit has arrived), it waits for the
 * payload; {@code livesession.limits.read-idle-timeout} closes such a connection. Tomcat
 * checks read idle timeouts every 10 s, so a connection is closed between the timeout and
 * the timeout plus 10 s.
 */
class StalledFrameIntegrationTests {

	/** A masked text frame's header announcing 2^40 bytes of payload, and its mask. */
	static final byte[] HEADER = { (byte) 0x81, (byte) (0x80 | 127), 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4 };

	@Nested
	@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "spring.config.name=shipped-defaults")
	class ShippedDefaults {

		@LocalServerPort
		int port;

		@Autowired
		ConnectionRegistry registry;

		@Test
		void tomcatDoesNotRefuseTheHeaderAndWaitsForThePayload() throws Exception {
			try (RawWebSocket socket = RawWebSocket.open(this.port, "/live",
					ConnectionLimitsIntegrationTests.cookieHeader(AnonymousCookies.generate()))) {
				assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
				socket.sendRaw(HEADER);
				// No 1009, no close: the connection waits (until the 10 minutes of the
				// shipped read idle timeout).
				// The heartbeat may ping meanwhile (its round can fall in any moment of a
				// new
				// connection's first interval): pings are the server waiting too.
				long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
				while (System.nanoTime() < deadline) {
					RawWebSocket.Frame frame = socket.readFrame(Duration.ofMillis(500));
					assertThat((frame == null) || frame.opcode() == RawWebSocket.PING)
						.as("a frame after the stalled header: %s", frame)
						.isTrue();
				}
				assertThat(this.registry.getConnectionCount()).isEqualTo(1);
			}
		}

	}

	@Nested
	@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.config.name=shipped-defaults", "livesession.limits.read-idle-timeout=1s" })
	class ShortReadIdleTimeout {

		@LocalServerPort
		int port;

		@Autowired
		ConnectionRegistry registry;

		@Test
		void aFrameBegunAndNeverFinishedIsClosedAfterTheReadIdleTimeout() {
			try (RawWebSocket socket = RawWebSocket.open(this.port, "/live",
					ConnectionLimitsIntegrationTests.cookieHeader(AnonymousCookies.generate()))) {
				assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
				socket.sendRaw(HEADER);
				long start = System.nanoTime();
				assertThat(socket.awaitCloseCode(Duration.ofSeconds(20))).isIn(1001, -1);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
			}
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.registry.getConnectionCount()).isZero());
		}

	}

}
