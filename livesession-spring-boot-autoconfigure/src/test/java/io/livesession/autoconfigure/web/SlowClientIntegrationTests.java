package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.delivery.ManagedConnection;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading cannot hold up anyone else: it is evicted with 4008 by the
 * send time limit or the send buffer limit, while healthy clients get every frame and the
 * broadcasting thread never waits for it. A lagging client gets the latest state as one
 * coalesced full state. The server's socket send buffer is made small, so that a client
 * that stops reading blocks the server's writes after a few kilobytes.
 */
class SlowClientIntegrationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final Duration SEND_TIME_LIMIT = Duration.ofSeconds(2);

	private static final String PADDING = "x".repeat(500);

	@Test
	void aClientThatStopsReadingIsEvictedWith4008WhileFiftyHealthyClientsReceiveEveryOneOfAThousandBroadcasts()
			throws Exception {
		try (ConfigurableApplicationContext context = start("livesession.send-time-limit=2s",
				"livesession.send-threads=2", "livesession.send-buffer-size-limit=16MB")) {
			int port = LiveCluster.port(context);
			List<LiveTestClient> healthy = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				healthy.add(LiveTestClient.connect(port, null));
			}
			healthy.forEach((client) -> client.next("hello"));
			String cookie = HttpBrowser.anonymousCookie(LiveCluster.port(context));
			try (StalledClient stalled = StalledClient.connect(port, "LIVESESSION=" + cookie)) {
				ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
				ManagedConnection connection = onlyConnection(registry, "anon:" + AnonymousCookies.deriveId(cookie));
				Broadcaster broadcaster = context.getBean(Broadcaster.class);
				for (int i = 0; i < 200; i++) {
					broadcaster.sendToAll("b-" + i + " " + PADDING);
				}
				// Once every healthy client has the first 200, the stalled connection
				// would
				// have had its share of the send threads too: what it still has queued is
				// waiting behind a write that blocks.
				for (LiveTestClient client : healthy) {
					for (int i = 0; i < 200; i++) {
						assertThat(nextRaw(client)).startsWith("b-" + i + " ");
					}
				}
				assertThat(connection.getQueuedBytes()).isGreaterThan(50_000);
				long start = System.nanoTime();
				for (int i = 200; i < 1000; i++) {
					broadcaster.sendToAll("b-" + i + " " + PADDING);
				}
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				// Writes are asynchronous: the stalled connection may have been evicted
				// meanwhile (its write stalled as soon as its socket buffers were full),
				// but no broadcast waited for it.
				assertThat(elapsed).as("800 broadcasts while a recipient's write is blocked")
					.isLessThan(SEND_TIME_LIMIT);

				await().atMost(SEND_TIME_LIMIT.plusSeconds(5)).until(() -> registry.find(connection.getId()) == null);
				assertThat(connection.isOpen()).isFalse();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("livesession.evictions").tag("reason", "send-time-limit").counter().count())
					.isOne();
				assertThat(stalled.awaitClosedByServer(Duration.ofSeconds(10))).isTrue();
			}
			for (LiveTestClient client : healthy) {
				for (int i = 200; i < 1000; i++) {
					assertThat(nextRaw(client)).startsWith("b-" + i + " ");
				}
				client.close();
			}
		}
	}

	@Test
	void aClientThatStopsReadingIsEvictedWith4008AtTheSendBufferLimitWithoutTheBroadcasterWaiting() throws Exception {
		try (ConfigurableApplicationContext context = start("livesession.send-time-limit=30s",
				"livesession.send-buffer-size-limit=64KB");
				LiveTestClient healthy = LiveTestClient.connect(LiveCluster.port(context), null)) {
			healthy.next("hello");
			String cookie = HttpBrowser.anonymousCookie(LiveCluster.port(context));
			try (StalledClient stalled = StalledClient.connect(LiveCluster.port(context), "LIVESESSION=" + cookie)) {
				ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
				ManagedConnection connection = onlyConnection(registry, "anon:" + AnonymousCookies.deriveId(cookie));
				Broadcaster broadcaster = context.getBean(Broadcaster.class);
				// In bursts of 50 (25 KB) that the healthy client takes before the next,
				// so
				// only the stalled connection's queue grows.
				int lastReachingBoth = -1;
				for (int i = 0; i < 1000; i++) {
					if (broadcaster.sendToAll("b-" + i + " " + PADDING) == 2) {
						lastReachingBoth = i;
					}
					if (i % 50 == 49) {
						for (int j = i - 49; j <= i; j++) {
							assertThat(nextRaw(healthy)).startsWith("b-" + j + " ");
						}
					}
				}
				// Evicted by the sender itself, as soon as its queue exceeded the limit,
				// which takes more than the socket buffers hold but far less than 1000.
				assertThat(lastReachingBoth).isBetween(100, 500);
				assertThat(registry.find(connection.getId())).isNull();
				assertThat(connection.isOpen()).isFalse();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(
						meters.get("livesession.evictions").tag("reason", "send-buffer-size-limit").counter().count())
					.isOne();
				assertThat(stalled.awaitClosedByServer(Duration.ofSeconds(10))).isTrue();
			}
		}
	}

	@Test
	void aLaggingConnectionEndsOnTheLatestStateVersionWithFullTrueAfterBeingCoalesced() throws Exception {
		try (ConfigurableApplicationContext context = start("livesession.send-time-limit=60s")) {
			int port = LiveCluster.port(context);
			String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(LiveCluster.port(context));
			try (StalledClient lagging = StalledClient.connect(port, cookie);
					LiveTestClient writer = LiveTestClient.connect(port, cookie)) {
				writer.next("hello");
				String blob = "y".repeat(2000);
				for (int i = 1; i <= 200; i++) {
					writer.action("put", java.util.Map.of("blob", i + blob), "r" + i);
					JsonNode reply;
					do {
						reply = writer.next();
					}
					while (!reply.path("type").asString().equals("reply"));
				}
				writer.sendText("{\"type\":\"sync\"}");
				JsonNode latest = writer.next("state");
				while (!latest.path("full").asBoolean()) {
					latest = writer.next("state");
				}
				long version = latest.get("version").asLong();

				// The lagging client reads again: everything it gets, up to the last
				// frame.
				List<JsonNode> states = new ArrayList<>();
				String text = lagging.nextText(Duration.ofSeconds(10));
				assertThat(mapper.readTree(text).get("type").asString()).isEqualTo("hello");
				JsonNode last = null;
				while (last == null || last.get("version").asLong() < version) {
					text = lagging.nextText(Duration.ofSeconds(10));
					assertThat(text).as("a state frame up to version " + version).isNotNull();
					last = mapper.readTree(text);
					states.add(last);
				}
				assertThat(last.get("version").asLong()).isEqualTo(version);
				assertThat(last.get("full").asBoolean()).isTrue();
				assertThat(last.at("/state/blob").asString()).isEqualTo(200 + blob);
				assertThat(states).as("fewer frames than changes: intermediate states were coalesced")
					.hasSizeLessThan(200);
				assertThat(lagging.hasNoFrameWithin(Duration.ofMillis(500))).as("nothing after the latest state")
					.isTrue();
			}
		}
	}

	/**
	 * The container to run on.
	 * @return the property that chooses it
	 */
	String container() {
		return Containers.TOMCAT;
	}

	private ConfigurableApplicationContext start(String... properties) {
		// These tests flood on purpose; the rate limit has tests of its own.
		List<String> all = new ArrayList<>(
				List.of("server.port=0", "spring.main.banner-mode=off", "livesession.rate-limit.enabled=false"));
		all.add(container());
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(LiveTestApplication.class, SmallSocketSendBuffer.class)
			.properties(all.toArray(String[]::new))
			.run();
	}

	private static ManagedConnection onlyConnection(ConnectionRegistry registry, String groupId) {
		await().atMost(Duration.ofSeconds(5)).until(() -> registry.findByGroup(groupId).size() == 1);
		LiveConnection connection = registry.findByGroup(groupId).iterator().next();
		return (ManagedConnection) connection;
	}

	/** The next frame that is not a protocol (JSON) frame. */
	private static String nextRaw(LiveTestClient client) {
		while (true) {
			Object frame = client.poll(Duration.ofSeconds(30));
			assertThat(frame).as("a broadcast within 30s").isInstanceOf(String.class);
			if (!((String) frame).startsWith("{")) {
				return (String) frame;
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SmallSocketSendBuffer {

		@Bean
		TomcatConnectorCustomizer smallSocketSendBuffer() {
			return (connector) -> connector.setProperty("socket.txBufSize", "8192");
		}

		@Bean
		JettyServerCustomizer smallJettySocketSendBuffer() {
			return (server) -> {
				for (Connector connector : server.getConnectors()) {
					if (connector instanceof ServerConnector serverConnector) {
						serverConnector.setAcceptedSendBufferSize(8192);
					}
				}
			};
		}

	}

}
