package io.livesession.autoconfigure.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.livesession.SessionGroups;
import io.livesession.revocation.UserErasure;
import io.livesession.event.LiveUserErasedEvent;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UserErasure} and its Actuator operation: the user's sockets closed on every
 * instance, the user's group gone from the store, an audit event.
 */
class UserErasureIntegrationTests {

	static RedisTestServer redis;

	@BeforeAll
	static void startRedis() {
		redis = RedisTestServer.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void eraseClosesTheUsersSocketsOnBothInstancesAndLeavesNoKeyOfTheUserInRedis() {
		try (LiveCluster cluster = new LiveCluster(redis)) {
			ConfigurableApplicationContext one = cluster.start(LoginTestApplication.class, "test.redis-sessions=true");
			ConfigurableApplicationContext two = cluster.start(LoginTestApplication.class, "test.redis-sessions=true");
			Browser bob = new Browser(LiveCluster.port(one));
			bob.login("bob");
			Browser carol = new Browser(LiveCluster.port(two));
			carol.login("carol");
			try (LiveTestClient onOne = bob.connect();
					LiveTestClient onTwo = bob.on(LiveCluster.port(two)).connect();
					LiveTestClient bystander = carol.connect()) {
				onOne.action("increment", null, "i");
				onTwo.next("state");
				bystander.action("increment", null, "c");
				bystander.next("reply");
				assertThat(keysMentioning(cluster.keyPrefix(), "bob")).as("bob's group is in Redis").isNotEmpty();

				assertThat(one.getBean(UserErasure.class).erase("bob")).containsExactly("user:bob");

				RevocationIntegrationTests.assertRevoked(onOne, Duration.ofSeconds(1));
				RevocationIntegrationTests.assertRevoked(onTwo, Duration.ofSeconds(2));
				RevocationIntegrationTests.assertStillServed(bystander, "carol");
				awaitNoKeysMentioning(cluster.keyPrefix(), "bob");
				assertThat(keysMentioning(cluster.keyPrefix(), "carol")).as("carol's data stays").isNotEmpty();
				assertThat(two.getBean(SessionGroups.class).get("user:bob").getVersion()).as("a new, empty group")
					.isZero();
			}
		}
	}

	@Test
	void theActuatorOperationErasesTheUserAndRecordsAnAuditEvent() {
		try (LiveCluster cluster = new LiveCluster(redis)) {
			ConfigurableApplicationContext app = cluster.start(LoginTestApplication.class,
					"management.endpoints.web.exposure.include=livesession",
					"management.endpoint.livesession.access=unrestricted");
			Browser alice = new Browser(LiveCluster.port(app));
			alice.login("alice");
			Browser admin = new Browser(LiveCluster.port(app));
			admin.login("admin");
			try (LiveTestClient tab = alice.connect()) {
				tab.action("increment", null, "i");
				tab.next("reply");
				SessionGroups groups = app.getBean(SessionGroups.class);
				assertThat(groups.get("user:alice").getVersion()).isEqualTo(1);

				HttpResponse<String> response = admin.delete("/actuator/livesession/users/alice",
						Map.of("X-CSRF-TOKEN", admin.csrf("/logout")));

				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).contains("\"erased\":\"alice\"").contains("user:alice");
				RevocationIntegrationTests.assertRevoked(tab, Duration.ofSeconds(1));
				assertThat(groups.get("user:alice").getVersion()).as("the group was deleted").isZero();
				assertThat(app.getBean(AuditEventRepository.class).find("alice", null, LiveUserErasedEvent.TYPE))
					.hasSize(1);
			}
		}
	}

	private static void awaitNoKeysMentioning(String prefix, String needle) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		List<String> keys = keysMentioning(prefix, needle);
		while (!keys.isEmpty() && System.nanoTime() < deadline) {
			sleep();
			keys = keysMentioning(prefix, needle);
		}
		assertThat(keys).as("livesession keys naming or holding '" + needle + "'").isEmpty();
	}

	/**
	 * Every key under the prefix whose name or content mentions the needle, by a full
	 * SCAN and a read of each key whatever its type.
	 */
	private static List<String> keysMentioning(String prefix, String needle) {
		RedisClient client = RedisClient.create("redis://" + redis.host() + ":" + redis.port());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			List<String> found = new ArrayList<>();
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = commands.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
				for (String key : page.getKeys()) {
					if (key.contains(needle) || content(commands, key).contains(needle)) {
						found.add(key);
					}
				}
				cursor = page;
			}
			while (!cursor.isFinished());
			return found;
		}
		finally {
			client.shutdown();
		}
	}

	private static String content(RedisCommands<String, String> commands, String key) {
		return switch (commands.type(key)) {
			case "string" -> String.valueOf(commands.get(key));
			case "hash" -> String.valueOf(commands.hgetall(key));
			case "set" -> String.valueOf(commands.smembers(key));
			case "zset" -> String.valueOf(commands.zrange(key, 0, -1));
			case "list" -> String.valueOf(commands.lrange(key, 0, -1));
			default -> "";
		};
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
