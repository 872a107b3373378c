package io.livesession.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance's connection limit, lowered to 3 (the shipped 10,000 sockets, twice in one
 * process, do not fit the test machine's 20,000 open files; its twin with the defaults is
 * {@link ConnectionLimitsIntegrationTests#theShippedDefaultsAreInEffect()}): the 4th
 * handshake gets 503 with {@code Retry-After}, nothing registered, no cookie.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=shipped-defaults", "livesession.limits.max-connections=3" })
class InstanceLimitIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	MeterRegistry meters;

	@Test
	void theFourthConnectionOfAnInstanceLimitedToThreeGets503WithRetryAfter() {
		List<RawWebSocket> open = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				RawWebSocket socket = RawWebSocket.open(this.port, "/live",
						ConnectionLimitsIntegrationTests.auth(List.of("alice", "bob", "admin").get(i)));
				open.add(socket);
				assertThat(socket.status()).isEqualTo(101);
				assertThat(socket.nextJson().get("type").asString()).isEqualTo("hello");
			}
			double before = this.meters.get("livesession.refusals").tag("limit", "instance").counter().count();
			try (RawWebSocket refused = RawWebSocket.open(this.port, "/live",
					ConnectionLimitsIntegrationTests.cookieHeader(AnonymousCookies.generate()))) {
				assertThat(refused.status()).isEqualTo(503);
				assertThat(refused.header("retry-after")).containsExactly("5");
				assertThat(refused.header("set-cookie")).isEmpty();
			}
			assertThat(this.registry.getConnectionCount()).isEqualTo(3);
			assertThat(this.meters.get("livesession.refusals").tag("limit", "instance").counter().count())
				.isEqualTo(before + 1);
		}
		finally {
			open.forEach(RawWebSocket::close);
		}
	}

}
