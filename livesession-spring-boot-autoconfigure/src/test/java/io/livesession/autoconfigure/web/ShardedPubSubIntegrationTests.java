package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisClusterTestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interest-based routing on a three-master Redis 7 Cluster: routed channels are sharded
 * ({@code SSUBSCRIBE} / {@code SPUBLISH}), the shared channel stays classic. The failover
 * test runs last: it leaves the cluster with a promoted replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedPubSubIntegrationTests {

	/**
	 * One cluster for the class; in a field so that JUnit closes it after the last test.
	 */
	@AutoClose
	static final RedisClusterTestServer redis = RedisClusterTestServer.start();

	/** Instances of their own for each test. */
	@AutoClose
	final LiveCluster cluster = new LiveCluster(redis);

	final ConfigurableApplicationContext a = this.cluster.start("livesession.rate-limit.enabled=false");

	final ConfigurableApplicationContext b = this.cluster.start("livesession.rate-limit.enabled=false");

	private String channel() {
		return this.cluster.keyPrefix() + "ch";
	}

	/** How many times a node ran a command, from {@code INFO commandstats}. */
	private static long calls(int port, String command) {
		for (String line : redis.cli(port, "info", "commandstats").split("\\r?\\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				return Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
			}
		}
		return 0;
	}

	@Test
	@Order(1)
	void aBroadcastToAUserHostedOnlyOnAFromBIsReceivedByAAndNotByCAsASpublishToAShardChannel() throws Exception {
		ConfigurableApplicationContext c = this.cluster.start("livesession.rate-limit.enabled=false");
		String aliceChannel = channel() + ":u:{alice}";
		int master = redis.masterOf(aliceChannel);
		try (LiveTestClient alice = LiveCluster.connectUser(this.a, "alice")) {
			alice.next("hello");
			assertThat(redis.cli(master, "pubsub", "shardchannels", channel() + ":*")).contains(aliceChannel)
				.contains(channel() + ":g:{user:alice}");
			for (int port : redis.ports()) {
				assertThat(redis.cli(port, "pubsub", "channels", channel() + ":*")).as("classic channels of %d", port)
					.doesNotContain(":u:")
					.doesNotContain(":g:");
			}
			Thread.sleep(200);
			double beforeA = InterestRoutingIntegrationTests.received(this.a);
			double beforeB = InterestRoutingIntegrationTests.received(this.b);
			double beforeC = InterestRoutingIntegrationTests.received(c);
			long spublished = calls(master, "spublish");
			this.b.getBean(Broadcaster.class).send(BroadcastTarget.users("alice"), "to-alice");
			assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("to-alice");
			Thread.sleep(200);
			assertThat(calls(master, "spublish") - spublished).as("SPUBLISH on the channel's master").isEqualTo(1);
			assertThat(InterestRoutingIntegrationTests.received(this.a) - beforeA).as("received by A").isEqualTo(1);
			assertThat(InterestRoutingIntegrationTests.received(c) - beforeC).as("received by C").isZero();
			assertThat(InterestRoutingIntegrationTests.received(this.b) - beforeB).as("received by B").isZero();
			this.b.getBean(Broadcaster.class).send(BroadcastTarget.all(), "to-all");
			assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("to-all");
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (InterestRoutingIntegrationTests.received(c) - beforeC < 1 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(InterestRoutingIntegrationTests.received(c) - beforeC)
				.as("a broadcast to all, on the classic shared channel, reaches every instance")
				.isEqualTo(1);
		}
	}

	@Test
	@Order(2)
	void theStateFramesOfAGroupCrossInstancesInCommitOrderAsSpublishesOfItsCommit() {
		String cookie = HttpBrowser.anonymousCookie(LiveCluster.port(this.a));
		String groupChannel = channel() + ":g:{anon:" + AnonymousCookies.deriveId(cookie) + "}";
		String groupKey = this.cluster.keyPrefix() + "groups:sessions:{anon:" + AnonymousCookies.deriveId(cookie) + "}";
		int master = redis.masterOf(groupKey);
		assertThat(redis.masterOf(groupChannel)).as("the group's channel is in the slot of its keys").isEqualTo(master);
		try (LiveTestClient onA = LiveCluster.connect(this.a, "LIVESESSION=" + cookie);
				LiveTestClient onB = LiveCluster.connect(this.b, "LIVESESSION=" + cookie)) {
			onA.next("hello");
			onB.next("hello");
			assertThat(redis.cli(master, "pubsub", "shardchannels", channel() + ":*")).contains(groupChannel);
			long spublished = calls(master, "spublish");
			for (int n = 1; n <= 30; n++) {
				onA.action("increment", null, "r" + n);
			}
			// In commit order: each count above the one before. A lagging connection's
			// state frames may be coalesced into the latest state, so some can be
			// skipped.
			int last = 0;
			while (last < 30) {
				int count = onB.next("state").at("/state/counter/count").asInt();
				assertThat(count).as("the state frame after count %d on B", last).isGreaterThan(last);
				last = count;
			}
			assertThat(calls(master, "spublish") - spublished).as("one SPUBLISH per commit, from its script")
				.isEqualTo(30);
		}
	}

	/**
	 * A thousand on the cluster as on one Redis: each connection's user channel is
	 * sharded, subscribed on the first connection and unsubscribed after the last.
	 */
	@Test
	@Order(3)
	void aThousandConnectBroadcastInterleavingsLoseNoFramePublishedAfterHello() throws Exception {
		InterestRoutingIntegrationTests.assertNoFrameLostAfterHello(this.a, this.b.getBean(Broadcaster.class), 1000);
	}

	@Test
	@Order(4)
	void routedFramesFlowAgainAfterTheMasterOfTheirChannelFailsOver() throws Exception {
		String aliceChannel = channel() + ":u:{alice}";
		Broadcaster fromB = this.b.getBean(Broadcaster.class);
		try (LiveTestClient alice = LiveCluster.connectUser(this.a, "alice")) {
			alice.next("hello");
			fromB.send(BroadcastTarget.users("alice"), "before");
			assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("before");
			int master = redis.masterOf(aliceChannel);
			redis.kill(master);
			// Until the replica is promoted and both instances saw the new topology,
			// publishes fail (and are dropped, at most once): send until one arrives.
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			Object received = null;
			int n = 0;
			while (!"after".equals(received) && System.nanoTime() < deadline) {
				fromB.send(BroadcastTarget.users("alice"), "after");
				received = alice.poll(Duration.ofMillis(500));
				n++;
			}
			assertThat(received).as("a routed frame after the failover (%d sent)", n).isEqualTo("after");
			assertThat(redis.masterOf(aliceChannel)).isNotEqualTo(master);
			// Drain stragglers of the sends above, then every frame arrives.
			while (alice.poll(Duration.ofMillis(500)) != null) {
				// Skip.
			}
			for (int i = 0; i < 20; i++) {
				fromB.send(BroadcastTarget.users("alice"), "again-" + i);
				assertThat(alice.poll(Duration.ofSeconds(5))).isEqualTo("again-" + i);
			}
		}
	}

}
