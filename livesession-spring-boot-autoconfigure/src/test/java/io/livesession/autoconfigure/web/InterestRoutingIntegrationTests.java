package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.redis.RedisDeliveryChannel;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interest-based routing ({@code livesession.redis.routing=interest}, the default): a
 * broadcast to a user or group reaches only the instances that host it, and a new
 * connection misses no frame published after its {@code hello}.
 */
class InterestRoutingIntegrationTests {

	static RedisTestServer redis;

	LiveCluster cluster;

	ConfigurableApplicationContext a;

	ConfigurableApplicationContext b;

	@BeforeAll
	static void startRedis() {
		redis = RedisTestServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void startInstances() {
		this.cluster = new LiveCluster(redis);
		this.a = this.cluster.start("livesession.rate-limit.enabled=false");
		this.b = this.cluster.start("livesession.rate-limit.enabled=false");
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	static double received(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class)
			.get("livesession.redis.messages.received")
			.functionCounter()
			.count();
	}

	@Test
	void aBroadcastToAUserFromAnotherInstanceIsReceivedOnlyByTheInstanceThatHostsThem() throws Exception {
		ConfigurableApplicationContext c = this.cluster.start("livesession.rate-limit.enabled=false");
		try (LiveTestClient alice = LiveCluster.connectUser(this.a, "alice")) {
			alice.next("hello");
			Thread.sleep(200);
			double beforeA = received(this.a);
			double beforeB = received(this.b);
			double beforeC = received(c);
			this.b.getBean(Broadcaster.class).send(BroadcastTarget.users("alice"), "to-alice");
			assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("to-alice");
			this.b.getBean(Broadcaster.class).send(BroadcastTarget.groups("user:alice"), "to-alice's-group");
			assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("to-alice's-group");
			Thread.sleep(200);
			assertThat(received(this.a) - beforeA).as("received by A, which hosts alice").isEqualTo(2);
			assertThat(received(c) - beforeC).as("received by C, which hosts nobody").isZero();
			assertThat(received(this.b) - beforeB).as("received by B, the sender").isZero();
			this.b.getBean(Broadcaster.class).send(BroadcastTarget.all(), "to-all");
			assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("to-all");
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (received(c) - beforeC < 1 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(received(c) - beforeC).as("a broadcast to all still reaches every instance").isEqualTo(1);
		}
	}

	@Test
	void onOneRedisTheRoutedChannelsAreClassicChannels() {
		String pattern = this.cluster.keyPrefix() + "ch:*";
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (LiveTestClient alice = LiveCluster.connectUser(this.a, "alice");
				StatefulRedisConnection<String, String> connection = client.connect()) {
			alice.next("hello");
			assertThat(connection.sync().pubsubChannels(pattern)).contains(this.cluster.keyPrefix() + "ch:u:{alice}",
					this.cluster.keyPrefix() + "ch:g:{user:alice}");
			assertThat(connection.sync().pubsubShardChannels(pattern)).isEmpty();
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void theLastConnectionOfAUserToLeaveUnsubscribesFromItsChannels() throws Exception {
		RedisDeliveryChannel channel = this.a.getBean(RedisDeliveryChannel.class);
		try (LiveTestClient first = LiveCluster.connectUser(this.a, "bob");
				LiveTestClient second = LiveCluster.connectUser(this.a, "bob")) {
			first.next("hello");
			second.next("hello");
			assertThat(channel.getRoutedChannelCount()).as("bob's channel and his group's").isEqualTo(2);
			first.close();
			Thread.sleep(200);
			assertThat(channel.getRoutedChannelCount()).isEqualTo(2);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (channel.getRoutedChannelCount() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(channel.getRoutedChannelCount()).isZero();
	}

	@Test
	void aThousandConnectBroadcastInterleavingsLoseNoFramePublishedAfterHello() throws Exception {
		assertNoFrameLostAfterHello(this.a, this.b.getBean(Broadcaster.class), 1000);
	}

	/**
	 * Connect to one instance again and again while another broadcasts to the same users,
	 * and check that a frame published after each {@code hello} arrives.
	 * @param host the instance the connections go to
	 * @param fromB the other instance's broadcaster
	 * @param iterations how many connections
	 */
	static void assertNoFrameLostAfterHello(ConfigurableApplicationContext host, Broadcaster fromB, int iterations)
			throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService noise = Executors.newSingleThreadExecutor();
		// Broadcasts keep coming while connections open and close, so subscribes and
		// unsubscribes of the same channels race with publishes to them.
		// A thousand a second at most: a full publish buffer would drop the markers too.
		Future<?> noisy = noise.submit(() -> {
			while (running.get()) {
				fromB.send(BroadcastTarget.users("alice", "bob"), Map.of("type", "noise"));
				Thread.sleep(1);
			}
			return null;
		});
		try {
			for (int i = 0; i < iterations; i++) {
				String user = (i % 2 == 0) ? "alice" : "bob";
				try (LiveTestClient client = LiveCluster.connectUser(host, user)) {
					client.next("hello");
					String marker = "m" + i;
					fromB.send(BroadcastTarget.users(user), Map.of("type", "marker", "marker", marker));
					JsonNode frame = client.next("marker");
					assertThat(frame.get("marker").asString()).as("iteration %d", i).isEqualTo(marker);
				}
			}
		}
		finally {
			running.set(false);
			noisy.get();
			noise.shutdown();
		}
	}

}
