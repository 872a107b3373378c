package io.livesession.autoconfigure.web;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.group.GroupMaintenance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
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
 * Two instances on one Redis behave as one server: shared group state, cross-instance
 * delivery with one PUBLISH per broadcast, no lost update, two round trips per action.
 */
class ClusterIntegrationTests {

	static RedisTestServer redis;

	LiveCluster cluster;

	ConfigurableApplicationContext one;

	ConfigurableApplicationContext two;

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
		// The lost-update test sends as fast as it can: no rate limit.
		this.one = this.cluster.start("livesession.rate-limit.enabled=false");
		this.two = this.cluster.start("livesession.rate-limit.enabled=false");
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	@Test
	void clientsWithTheSameCookieOnTwoInstancesSeeEachOthersIncrements() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(LiveCluster.port(this.one));
		try (LiveTestClient onOne = LiveCluster.connect(this.one, cookie);
				LiveTestClient onTwo = LiveCluster.connect(this.two, cookie)) {
			onOne.next("hello");
			onTwo.next("hello");
			onOne.action("increment", null, "1");
			assertThat(onOne.next("reply").at("/data/count").asInt()).isEqualTo(1);
			JsonNode state = onTwo.next("state");
			assertThat(state.get("version").asLong()).isEqualTo(1);
			assertThat(state.at("/state/counter/count").asInt()).isEqualTo(1);
			onTwo.action("increment", null, "2");
			assertThat(onTwo.next("reply").at("/data/count").asInt()).isEqualTo(2);
			// On Redis a client's own state frame may come after its reply: skip to
			// version 2.
			JsonNode latest = onOne.next("state");
			while (latest.get("version").asLong() < 2) {
				latest = onOne.next("state");
			}
			assertThat(latest.at("/state/counter/count").asInt()).isEqualTo(2);
		}
	}

	@Test
	void twoInstancesTimesTenConnectionsTimesFiveHundredIncrementsEndAtExactlyTenThousand() throws Exception {
		String value = HttpBrowser.anonymousCookie(LiveCluster.port(this.one));
		String cookie = "LIVESESSION=" + value;
		List<LiveTestClient> clients = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(20);
		try {
			for (int i = 0; i < 20; i++) {
				LiveTestClient client = LiveCluster.connect((i % 2 == 0) ? this.one : this.two, cookie);
				client.next("hello");
				clients.add(client);
			}
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> senders = new ArrayList<>();
			for (int c = 0; c < clients.size(); c++) {
				LiveTestClient client = clients.get(c);
				String prefix = "c" + c + "-";
				senders.add(executor.submit(() -> {
					start.await();
					for (int n = 0; n < 500; n++) {
						client.action("increment", null, prefix + n);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> sender : senders) {
				sender.get(120, TimeUnit.SECONDS);
			}
			Set<Integer> acknowledgedCounts = new HashSet<>();
			for (LiveTestClient client : clients) {
				long version = 0;
				int replies = 0;
				while (version < 10_000 || replies < 500) {
					JsonNode frame = client.next(Duration.ofSeconds(60));
					String type = frame.get("type").asString();
					assertThat(type).as("no errors: %s", frame).isIn("state", "reply");
					if (type.equals("reply")) {
						int count = frame.at("/data/count").asInt();
						assertThat(acknowledgedCounts.add(count)).as("no two replies with count %d", count).isTrue();
						replies++;
						continue;
					}
					long next = frame.get("version").asLong();
					assertThat(next).isGreaterThan(version);
					assertThat(frame.at("/state/counter/count").asInt()).isEqualTo((int) next);
					version = next;
				}
				assertThat(version).as("the connection's last state").isEqualTo(10_000);
			}
			// Every commit raised the version by exactly one: the acknowledged counts are
			// 1..10,000, each once.
			assertThat(acknowledgedCounts).hasSize(10_000).allMatch((count) -> count >= 1 && count <= 10_000);
			try (RedisClient client = RedisClient.create("redis://" + redis.host() + ":" + redis.port());
					StatefulRedisConnection<String, String> connection = client.connect()) {
				assertThat(connection.sync()
					.hget(this.cluster.keyPrefix() + "groups:sessions:{anon:" + AnonymousCookies.deriveId(value) + "}",
							"sessionAttr:livesession:version"))
					.isEqualTo("10000");
			}
		}
		finally {
			executor.shutdownNow();
			clients.forEach(LiveTestClient::close);
		}
	}

	@Test
	void anUncontendedActionCostsOneRedisRoundTrip() throws Exception {
		String value = HttpBrowser.anonymousCookie(LiveCluster.port(this.one));
		String groupKeyTag = "{anon:" + AnonymousCookies.deriveId(value) + "}";
		try (LiveTestClient client = LiveCluster.connect(this.one, "LIVESESSION=" + value);
				RedisMonitor monitor = RedisMonitor.start(redis.host(), redis.port())) {
			client.next("hello");
			// The first commit may load the script (NOSCRIPT, then EVAL): not counted.
			client.action("increment", null, "warm-up");
			client.next("reply");
			// The group maintenance touches every group with a connection once a minute
			// (a read and a save): a cost of keeping groups alive, not of actions, and
			// one
			// that fell into the window now and then.
			this.one.getBean(GroupMaintenance.class).stop();
			this.two.getBean(GroupMaintenance.class).stop();
			Counter coalesced = this.one.getBean(MeterRegistry.class)
				.counter("livesession.frames.dropped", "reason", "coalesced");
			double coalescedBefore = coalesced.count();
			monitor.reset();
			int actions = 100;
			for (int n = 0; n < actions; n++) {
				client.action("increment", null, "n" + n);
				// The reply and the action's own state frame, in either order, before the
				// next action: state frames that pile up would be coalesced into a full
				// state read from Redis, a cost of delivery, not of the action.
				boolean replied = false;
				boolean stated = false;
				while (!replied || !stated) {
					JsonNode frame = client.next();
					if (frame.get("type").asString().equals("reply")) {
						assertThat(frame.at("/data/count").asInt()).isEqualTo(n + 2);
						replied = true;
					}
					else if (frame.get("type").asString().equals("state")) {
						stated = frame.get("version").asLong() == n + 2;
					}
				}
			}
			// Every command sent by a client (not by a script) that names one of the
			// group's keys.
			List<String> commands = monitor.awaitQuiet()
				.stream()
				.filter((line) -> line.contains(groupKeyTag) && !line.contains(" lua]"))
				.toList();
			// A state frame that finds the previous one still queued behind a write in
			// progress is coalesced into a full state, read from Redis when it is sent:
			// a cost of delivery to a lagging connection, one read per coalesced frame at
			// most, not of the action.
			long deliveryReads = (long) (coalesced.count() - coalescedBefore);
			long roundTrips = commands.size() - deliveryReads;
			assertThat(roundTrips)
				.as("round trips for %d actions: %s", actions,
						commands.stream().map((line) -> line.substring(0, Math.min(line.length(), 220))).toList())
				.isEqualTo(actions);
		}
	}

	@Test
	void actionsAlternatingBetweenInstancesCostAtMostTwoRoundTripsAndCountExactly() throws Exception {
		String value = HttpBrowser.anonymousCookie(LiveCluster.port(this.one));
		String groupKeyTag = "{anon:" + AnonymousCookies.deriveId(value) + "}";
		try (LiveTestClient onOne = LiveCluster.connect(this.one, "LIVESESSION=" + value);
				LiveTestClient onTwo = LiveCluster.connect(this.two, "LIVESESSION=" + value);
				RedisMonitor monitor = RedisMonitor.start(redis.host(), redis.port())) {
			onOne.next("hello");
			onTwo.next("hello");
			onOne.action("increment", null, "warm-up-1");
			assertThat(onOne.next("reply").at("/data/count").asInt()).isEqualTo(1);
			onTwo.action("increment", null, "warm-up-2");
			assertThat(onTwo.next("reply").at("/data/count").asInt()).isEqualTo(2);
			this.one.getBean(GroupMaintenance.class).stop();
			this.two.getBean(GroupMaintenance.class).stop();
			// The warm-up's last commits may still be on their way to the monitor: a busy
			// machine counted them with the actions.
			monitor.awaitQuiet();
			monitor.reset();
			int actions = 40;
			for (int n = 0; n < actions; n++) {
				// Each instance's kept copy of the group is stale by the other's commit.
				LiveTestClient tab = (n % 2 == 0) ? onOne : onTwo;
				tab.action("increment", null, "n" + n);
				assertThat(tab.next("reply").at("/data/count").asInt()).isEqualTo(n + 3);
			}
			long commands = monitor.awaitQuiet()
				.stream()
				.filter((line) -> line.contains(groupKeyTag) && line.contains("\"EVALSHA\""))
				.count();
			// A stale copy costs one refused commit, whose answer carries the stored
			// group,
			// so no read is needed before the second.
			assertThat(commands).as("commits for %d actions", actions).isLessThanOrEqualTo(2L * actions);
		}
	}

	@Test
	void everyTargetReachesExactlyTheMatchingConnectionsOnBothInstancesWithOnePublishEach() throws Exception {
		RedisClient client = RedisClient.create("redis://" + redis.host() + ":" + redis.port());
		AtomicInteger published = new AtomicInteger();
		try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
				LiveTestClient alice1 = LiveCluster.connectUser(this.one, "alice");
				LiveTestClient alice2 = LiveCluster.connectUser(this.two, "alice");
				LiveTestClient bob = LiveCluster.connectUser(this.two, "bob");
				LiveTestClient admin = LiveCluster.connectUser(this.one, "admin");
				LiveTestClient anonymous = LiveCluster.connect(this.two,
						"LIVESESSION=" + HttpBrowser.anonymousCookie(LiveCluster.port(this.one)))) {
			subscriber.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					published.incrementAndGet();
				}

				@Override
				public void message(String pattern, String channel, String message) {
					published.incrementAndGet();
				}
			});
			// The shared channel, and those of users and groups (interest-based routing).
			subscriber.sync().subscribe(this.cluster.keyPrefix() + "ch");
			subscriber.sync().psubscribe(this.cluster.keyPrefix() + "ch:[ug]:*");
			List<LiveTestClient> all = List.of(alice1, alice2, bob, admin, anonymous);
			Map<LiveTestClient, String> connectionIds = new java.util.HashMap<>();
			for (LiveTestClient c : all) {
				connectionIds.put(c, c.next("hello").get("connectionId").asString());
			}
			Broadcaster broadcaster = this.one.getBean(Broadcaster.class);
			assertReach(broadcaster, BroadcastTarget.all(), all, all);
			assertReach(broadcaster, BroadcastTarget.users("alice"), all, List.of(alice1, alice2));
			assertReach(broadcaster, BroadcastTarget.groups("user:bob"), all, List.of(bob));
			assertReach(broadcaster,
					BroadcastTarget.connections(connectionIds.get(alice2), connectionIds.get(anonymous)), all,
					List.of(alice2, anonymous));
			assertReach(broadcaster, BroadcastTarget.authority("ROLE_ADMIN"), all, List.of(admin));
			assertReach(broadcaster, BroadcastTarget.userFilter((user) -> user.startsWith("b")), all, List.of(bob));
			long deadline = System.currentTimeMillis() + 5000;
			while (published.get() < 6 && System.currentTimeMillis() < deadline) {
				Thread.sleep(20);
			}
			assertThat(published).as("one PUBLISH per broadcast").hasValue(6);
		}
		finally {
			client.shutdown();
		}
	}

	private static int sequence;

	static void assertReach(Broadcaster broadcaster, BroadcastTarget target, List<LiveTestClient> all,
			List<LiveTestClient> expected) {
		String marker = "m" + (++sequence);
		broadcaster.send(target, Map.of("type", "test", "marker", marker));
		for (LiveTestClient client : expected) {
			assertThat(client.next().get("marker").asString()).as("%s reaches its connection", target)
				.isEqualTo(marker);
		}
		for (LiveTestClient client : all) {
			if (!expected.contains(client)) {
				assertThat(client.poll(Duration.ofMillis(200))).as("%s must not reach others", target).isNull();
			}
		}
	}

	@Test
	void groupStateSurvivesAnApplicationRestart() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(LiveCluster.port(this.one));
		try (LiveTestClient client = LiveCluster.connect(this.one, cookie)) {
			client.next("hello");
			client.action("increment", null, "1");
			client.action("increment", null, "2");
			client.next("reply");
			client.next("reply");
		}
		this.one.close();
		ConfigurableApplicationContext restarted = this.cluster.start();
		try (LiveTestClient client = LiveCluster.connect(restarted, cookie)) {
			JsonNode hello = client.next("hello");
			assertThat(hello.get("version").asLong()).isEqualTo(2);
			assertThat(hello.at("/state/counter/count").asInt()).isEqualTo(2);
		}
	}

}
