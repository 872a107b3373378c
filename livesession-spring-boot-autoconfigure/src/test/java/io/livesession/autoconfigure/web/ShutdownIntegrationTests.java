package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.livesession.test.LiveTestClient;
import io.livesession.test.RawHandshake;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the application drains: new handshakes are refused with 503, then open
 * connections are closed with 1001 in batches at the drain rate, all before the server
 * goes away and within the shutdown phase timeout.
 */
class ShutdownIntegrationTests {

	@Test
	void everyOpenConnectionReceives1001InBatchesWhileNewHandshakesAreRefusedWith503() throws Exception {
		ConfigurableApplicationContext context = start("livesession.shutdown.drain-rate=10");
		int port = LiveCluster.port(context);
		List<LiveTestClient> clients = connect(port, 20);
		assertThat(RawHandshake.send(port, "/live", Map.of()).status()).isEqualTo(101);

		CompletableFuture<Void> stopped = CompletableFuture.runAsync(context::close);
		await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream().anyMatch(LiveTestClient::isClosed));
		// 1 connection per 100 ms: when the first is closed, most are still open.
		assertThat(clients.stream().filter((client) -> !client.isClosed()).count()).isGreaterThan(10);
		assertThat(RawHandshake.send(port, "/live", Map.of()).status()).isEqualTo(503);

		for (LiveTestClient client : clients) {
			assertThat(client.awaitClose(Duration.ofSeconds(20)).getCloseCode().getCode()).isEqualTo(1001);
		}
		stopped.get(30, TimeUnit.SECONDS);
		assertThat(context.isActive()).isFalse();
	}

	@Test
	void aDrainTooSlowForThePhaseTimeoutSpeedsUpSoThatEveryConnectionStillReceives1001() throws Exception {
		// At 1 per second, 30 connections would take 30 s: the phase gets 4 s.
		ConfigurableApplicationContext context = start("livesession.shutdown.drain-rate=1",
				"spring.lifecycle.timeout-per-shutdown-phase=4s");
		List<LiveTestClient> clients = connect(LiveCluster.port(context), 30);
		long start = System.nanoTime();
		context.close();
		Duration stopping = Duration.ofNanos(System.nanoTime() - start);
		for (LiveTestClient client : clients) {
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode()).isEqualTo(1001);
		}
		assertThat(stopping).as("the context stopped within the phase timeout").isLessThan(Duration.ofSeconds(4));
	}

	/**
	 * The container to run on.
	 * @return the property that chooses it
	 */
	String container() {
		return Containers.TOMCAT;
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
		all.add(container());
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(LiveTestApplication.class).properties(all.toArray(String[]::new)).run();
	}

	private static List<LiveTestClient> connect(int port, int count) {
		List<LiveTestClient> clients = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			clients.add(LiveTestClient.connect(port, null));
		}
		clients.forEach((client) -> client.next("hello"));
		return clients;
	}

}
