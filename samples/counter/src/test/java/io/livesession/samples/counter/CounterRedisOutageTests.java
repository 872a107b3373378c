package io.livesession.samples.counter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.livesession.Broadcaster;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis outage with the counter's shipped {@code redis} profile and nothing else set:
 * no {@code spring.data.redis.timeout}, so Lettuce alone would wait 60 seconds. The
 * documented bounds hold anyway, through {@code livesession.redis.command-timeout}.
 */
class CounterRedisOutageTests {

	private static final Duration BOUND = Duration.ofSeconds(2);

	/**
	 * docs/clustering.md: livesession's connections retry at most a second apart, its
	 * subscriptions every 500 ms; the rest is slack for a loaded machine. Lettuce's
	 * default backoff (up to 30 s) would fail it.
	 */
	private static final Duration RECOVERED = Duration.ofSeconds(10);

	@Test
	void withTheShippedConfigurationAnOutageIsAnsweredWithinTwoSecondsAndLosesNoAcknowledgedIncrement()
			throws Exception {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = start(redis);
				ConfigurableApplicationContext two = start(redis)) {
			String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(port(one));
			try (LiveTestClient onOne = LiveTestClient.connect(port(one), cookie);
					LiveTestClient onTwo = LiveTestClient.connect(port(two), cookie)) {
				onOne.next("hello");
				onTwo.next("hello");
				int acknowledged = 0;
				for (int i = 0; i < 3; i++) {
					acknowledged += increment(onOne, "before" + i) ? 1 : 0;
				}
				assertThat(acknowledged).isEqualTo(3);

				// Warm: the bounds are about Redis, not about the first call's class
				// loading.
				assertThat(health(port(two)).statusCode()).isEqualTo(200);
				one.getBean(Broadcaster.class).sendToAll("warm");
				assertThat(nextRaw(onOne)).isEqualTo("warm");
				assertThat(nextRaw(onTwo)).as("through Redis").isEqualTo("warm");

				redis.stop();
				for (int i = 0; i < 3; i++) {
					long started = System.nanoTime();
					onTwo.action("increment", null, "during" + i);
					JsonNode answer = nextAnswer(onTwo);
					measured("action " + i, started);
					assertThat(elapsed(started)).as("answered within the bound").isLessThanOrEqualTo(BOUND);
					assertThat(answer.get("code").asString()).isEqualTo("unavailable");
				}
				long started = System.nanoTime();
				try (LiveTestClient late = LiveTestClient.connect(port(one), cookie)) {
					CloseReason reason = late.awaitClose(Duration.ofSeconds(10));
					measured("handshake", started);
					assertThat(elapsed(started)).as("handshake answered within the bound").isLessThanOrEqualTo(BOUND);
					assertThat(reason.getCloseCode().getCode()).isEqualTo(1011);
				}
				started = System.nanoTime();
				one.getBean(Broadcaster.class).sendToAll("local still works");
				measured("sendToAll", started);
				assertThat(elapsed(started)).as("sendToAll returns at once")
					.isLessThanOrEqualTo(Duration.ofMillis(100));
				assertThat(nextRaw(onOne)).isEqualTo("local still works");
				// livesession's own indicator; Boot's 'redis' one waits for the
				// application's timeout (docs/clustering.md).
				started = System.nanoTime();
				HttpResponse<String> health = health(port(two));
				measured("health", started);
				assertThat(elapsed(started)).as("health answered within the bound").isLessThanOrEqualTo(BOUND);
				assertThat(health.statusCode()).isEqualTo(503);
				assertThat(health.body()).startsWith("{\"status\":\"DOWN\"");

				redis.restart();
				started = System.nanoTime();
				// Each instance reconnects on its own jittered delay (at most 1 s between
				// attempts), so one may be back a little before the other: both sockets
				// must work again.
				acknowledged += incrementOnceRecovered(onTwo, "after");
				assertThat(onOne.isClosed()).isFalse();
				acknowledged += incrementOnceRecovered(onOne, "after-one");
				measured("recovered", started);
				assertThat(elapsed(started)).as("both sockets work again within the reconnect bound")
					.isLessThanOrEqualTo(RECOVERED);
				onOne.sendText("{\"type\":\"sync\"}");
				JsonNode full = onOne.next("state");
				while (!full.path("full").asBoolean()) {
					full = onOne.next("state");
				}
				assertThat(full.at("/state/counter/count").asInt()).as("no acknowledged increment lost, none extra")
					.isEqualTo(acknowledged);
			}
		}
	}

	private static ConfigurableApplicationContext start(RedisTestServer redis) {
		// Only what a user sets to point the shipped profile at their Redis.
		return SpringApplication.run(CounterApplication.class, "--server.port=0", "--spring.profiles.active=redis",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
				// Only so the test can read the livesession component; no timeout.
				"--management.endpoint.health.show-components=always");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** The times docs/clustering.md's failure table reports. */
	private static void measured(String what, long started) {
		System.out.println("measured outage " + what + ": " + elapsed(started).toMillis() + " ms");
	}

	private static Duration elapsed(long started) {
		return Duration.ofNanos(System.nanoTime() - started);
	}

	/**
	 * Increment until acknowledged, every answer before it being {@code unavailable}.
	 * @return the one acknowledged increment
	 */
	private static int incrementOnceRecovered(LiveTestClient client, String ref) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 60_000;
		for (int attempt = 0; System.currentTimeMillis() < deadline; attempt++) {
			if (increment(client, ref + attempt)) {
				return 1;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("The socket did not work again within 60 s of Redis being back");
	}

	private static boolean increment(LiveTestClient client, String ref) {
		client.action("increment", null, ref);
		JsonNode answer = nextAnswer(client);
		assertThat(answer.get("ref").asString()).isEqualTo(ref);
		return answer.get("type").asString().equals("reply");
	}

	/** The next reply or error, skipping state frames. */
	private static JsonNode nextAnswer(LiveTestClient client) {
		while (true) {
			JsonNode frame = client.next(Duration.ofSeconds(15));
			String type = frame.get("type").asString();
			if (type.equals("reply") || type.equals("error")) {
				return frame;
			}
		}
	}

	private static Object nextRaw(LiveTestClient client) {
		long deadline = System.currentTimeMillis() + 5000;
		while (System.currentTimeMillis() < deadline) {
			Object frame = client.poll(Duration.ofMillis(200));
			if (frame instanceof String text && !text.startsWith("{")) {
				return text;
			}
		}
		throw new AssertionError("no raw frame");
	}

	private static HttpResponse<String> health(int port) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/livesession"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
