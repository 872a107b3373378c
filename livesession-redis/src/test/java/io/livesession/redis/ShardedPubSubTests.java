package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.livesession.test.RedisClusterTestServer;
import io.livesession.test.RedisTestConnections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ShardedPubSub} and {@link LettuceShardedSubscription} on a private
 * three-master Redis Cluster (Redis 7+), and on a standalone Redis.
 */
class ShardedPubSubTests {

	@RegisterExtension
	static final RedisTestConnections standalone = new RedisTestConnections();

	static RedisClusterTestServer cluster;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterTestServer.start();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private ShardedPubSub open(List<String> received) {
		ShardedPubSub sharded = ShardedPubSub.open(connectionFactory(), "test", received::add, Duration.ofSeconds(2));
		assertThat(sharded).as("sharded pub/sub on a Redis 7 cluster").isNotNull();
		this.closeables.add(0, sharded);
		return sharded;
	}

	private LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory application = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of(cluster.nodes().split(","))));
		application.afterPropertiesSet();
		application.start();
		LiveRedisConnections connections = LiveRedisConnections.create(application, Duration.ofSeconds(2));
		this.closeables.add(application::destroy);
		this.closeables.add(connections::destroy);
		return (LettuceConnectionFactory) connections.getConnectionFactory();
	}

	/** Subscribe, and wait for Redis's confirmation. */
	private static void subscribe(ShardedPubSub sharded, String channel) throws Exception {
		CompletableFuture<Void> confirmed = new CompletableFuture<>();
		sharded.subscription().add(channel, confirmed);
		confirmed.get(5, TimeUnit.SECONDS);
	}

	private static List<byte[]> message(String channel, String body) {
		return List.of(channel.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aSubscriptionIsConfirmedAndItsChannelIsAShardChannelOfItsSlotsMaster() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		ShardedPubSub sharded = open(received);
		String channel = "t1:u:{alice}";
		subscribe(sharded, channel);
		assertThat(sharded.subscription().isListening()).isTrue();
		int master = cluster.masterOf(channel);
		assertThat(cluster.cli(master, "pubsub", "shardchannels", "t1:*")).contains(channel);
		for (int port : cluster.ports()) {
			assertThat(cluster.cli(port, "pubsub", "channels", "t1:*")).as("classic channels of %d", port)
				.doesNotContain(channel);
		}
		sharded.publish(message(channel, "hello"));
		await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("hello"));
		assertThat(cluster.cli(master, "info", "commandstats")).contains("cmdstat_spublish:");
	}

	@Test
	void messagesOfChannelsOnEveryShardAreHandledOneAtATimeInTheOrderOfEachChannel() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		ShardedPubSub sharded = open(received);
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			String channel = "t2:g:{group-" + i + "}";
			subscribe(sharded, channel);
			channels.add(channel);
		}
		assertThat(channels.stream().map(cluster::masterOf).distinct()).as("channels on every master").hasSize(3);
		List<byte[]> batch = new ArrayList<>();
		for (int n = 0; n < 100; n++) {
			for (int i = 0; i < channels.size(); i++) {
				batch.addAll(message(channels.get(i), i + ":" + n));
			}
		}
		sharded.publish(batch);
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1200);
		for (int i = 0; i < channels.size(); i++) {
			String prefix = i + ":";
			List<String> ofChannel = received.stream().filter((message) -> message.startsWith(prefix)).toList();
			assertThat(ofChannel).hasSize(100);
			for (int n = 0; n < 100; n++) {
				assertThat(ofChannel.get(n)).isEqualTo(prefix + n);
			}
		}
	}

	@Test
	void aRemovedChannelIsUnsubscribed() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		ShardedPubSub sharded = open(received);
		String channel = "t3:u:{bob}";
		subscribe(sharded, channel);
		sharded.subscription().remove(channel);
		int master = cluster.masterOf(channel);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !cluster.cli(master, "pubsub", "shardchannels", "t3:*").contains(channel));
		assertThat(sharded.subscription().size()).isZero();
	}

	@Test
	void aSubscriptionIsMadeAgainAfterItsNodeDroppedTheConnection() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		ShardedPubSub sharded = open(received);
		String channel = "t4:u:{carol}";
		subscribe(sharded, channel);
		int master = cluster.masterOf(channel);
		assertThat(cluster.cli(master, "client", "kill", "type", "pubsub").trim()).isNotEqualTo("0");
		// Lettuce reconnects and subscribes the node connection's channels again;
		// messages published meanwhile are lost, at most once.
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			sharded.publish(message(channel, "back"));
			return received.contains("back");
		});
		assertThat(cluster.cli(master, "pubsub", "shardchannels", "t4:*")).contains(channel);
	}

	@Test
	void aChannelWhoseSlotMovesToAnotherMasterIsSubscribedThere() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		ShardedPubSub sharded = open(received);
		String channel = "t5:u:{dave}";
		subscribe(sharded, channel);
		int source = cluster.masterOf(channel);
		int target = otherMaster(source);
		String slot = cluster.cli(source, "cluster", "keyslot", channel).trim();
		String sourceId = cluster.cli(source, "cluster", "myid").trim();
		String targetId = cluster.cli(target, "cluster", "myid").trim();
		// An empty slot: no key to migrate. Redis ends the slot's shard subscriptions on
		// the
		// node that gives it up.
		cluster.cli(target, "cluster", "setslot", slot, "importing", sourceId);
		cluster.cli(source, "cluster", "setslot", slot, "migrating", targetId);
		cluster.cli(target, "cluster", "setslot", slot, "node", targetId);
		cluster.cli(source, "cluster", "setslot", slot, "node", targetId);
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			sharded.publish(message(channel, "moved"));
			return received.contains("moved");
		});
		assertThat(cluster.masterOf(channel)).isEqualTo(target);
		assertThat(cluster.cli(target, "pubsub", "shardchannels", "t5:*")).contains(channel);
	}

	private static int otherMaster(int master) {
		for (int port : cluster.ports()) {
			if (port != master && cluster.cli(port, "role").startsWith("master")) {
				return port;
			}
		}
		throw new IllegalStateException("No other master");
	}

	@Test
	void aChannelNameWithBracesKeepsClassicChannels() {
		assertThat(ShardedPubSub.open(connectionFactory(), "live{x}", (message) -> {
		}, Duration.ofSeconds(2))).isNull();
	}

	@Test
	void aStandaloneRedisKeepsClassicChannels() {
		assertThat(ShardedPubSub.open(standalone.connectionFactory(), "test", (message) -> {
		}, Duration.ofSeconds(2))).isNull();
	}

}
