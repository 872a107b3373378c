package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @Scheduled} job guarded by the {@code ClusterLeader} runs on one instance of
 * two, and moves to the other when that instance's JVM is killed: with the shipped
 * defaults ({@code livesession.leader.lease=10s}), within the documented 15 seconds.
 */
class ClusterLeaderIntegrationTests {

	/** docs/clustering.md: 4/3 of the default lease, plus a job period and slack. */
	private static final Duration DOCUMENTED_TAKEOVER = Duration.ofSeconds(15);

	static RedisTestServer redis;

	LiveCluster cluster;

	@BeforeAll
	static void startRedis() {
		redis = RedisTestServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void createCluster() {
		this.cluster = new LiveCluster(redis);
	}

	@AfterEach
	void stopCluster() {
		this.cluster.close();
	}

	@Test
	void eachClientGetsEachTickOnceAndAKilledLeadersJobMovesToTheOtherInstance() {
		// The forked instance starts first, so it leads; it is the one a test can kill.
		ForkedInstance first = this.cluster.fork(LeaderTestApplication.class, "test.instance=first");
		ConfigurableApplicationContext second = this.cluster.start(LeaderTestApplication.class, "test.instance=second");
		try (LiveTestClient onFirst = LiveTestClient.connect(first.port(), null);
				LiveTestClient onSecond = LiveTestClient.connect(LiveCluster.port(second), null)) {
			// Both instances run the job every 200 ms for 3 s: only one may send.
			List<JsonNode> firstTicks = ticksFor(onFirst, Duration.ofSeconds(3));
			List<JsonNode> secondTicks = ticksFor(onSecond, Duration.ofSeconds(3));
			assertOncePerTick(firstTicks, "first");
			assertOncePerTick(secondTicks, "first");
			assertThat(firstTicks).as("ticks in 3 s at 200 ms").hasSizeGreaterThanOrEqualTo(5);

			first.kill();
			long killed = System.nanoTime();
			JsonNode takeover = onSecond.next("tick");
			while (takeover.get("instance").asString().equals("first")) {
				// Frames already under way when the JVM died.
				takeover = onSecond.next("tick");
			}
			Duration elapsed = Duration.ofNanos(System.nanoTime() - killed);
			assertThat(takeover.get("instance").asString()).isEqualTo("second");
			assertThat(elapsed).as("time from the kill to the survivor's first tick")
				.isLessThanOrEqualTo(DOCUMENTED_TAKEOVER);
			List<JsonNode> after = new ArrayList<>(List.of(takeover));
			after.addAll(ticksFor(onSecond, Duration.ofSeconds(2)));
			assertOncePerTick(after, "second");
		}
	}

	/**
	 * Every tick frame the client receives within the window (hello and others skipped).
	 */
	private static List<JsonNode> ticksFor(LiveTestClient client, Duration window) {
		List<JsonNode> ticks = new ArrayList<>();
		long deadline = System.nanoTime() + window.toNanos();
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			Object frame = client.poll(Duration.ofNanos(left));
			if (frame instanceof String text && text.contains("\"tick\"")) {
				ticks.add(tools.jackson.databind.json.JsonMapper.builder().build().readTree(text));
			}
		}
		return ticks;
	}

	/**
	 * All from one instance, numbered one after the other: no tick twice, none missed.
	 */
	private static void assertOncePerTick(List<JsonNode> ticks, String instance) {
		assertThat(ticks).isNotEmpty();
		assertThat(ticks).allSatisfy((tick) -> assertThat(tick.get("instance").asString()).isEqualTo(instance));
		long previous = ticks.get(0).get("seq").asLong() - 1;
		for (JsonNode tick : ticks) {
			assertThat(tick.get("seq").asLong()).as("the tick after %d", previous).isEqualTo(previous + 1);
			previous++;
		}
	}

}
