package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis goes away for a while and comes back: sockets stay open, actions answer
 * {@code unavailable} and change nothing, local delivery goes on, and afterwards
 * everything works again without restarting the applications, with no acknowledged
 * increment lost.
 */
class RedisOutageIntegrationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void anOutageKeepsSocketsOpenAnswersUnavailableAndLosesNoAcknowledgedIncrement() throws Exception {
		try (RedisTestServer redis = RedisTestServer.start(); LiveCluster cluster = new LiveCluster(redis)) {
			ConfigurableApplicationContext one = cluster.start();
			ConfigurableApplicationContext two = cluster.start();
			String value = HttpBrowser.anonymousCookie(LiveCluster.port(one));
			String cookie = "LIVESESSION=" + value;
			String groupId = "anon:" + AnonymousCookies.deriveId(value);
			try (LiveTestClient onOne = LiveTestClient.connect(LiveCluster.port(one), cookie);
					LiveTestClient onTwo = LiveTestClient.connect(LiveCluster.port(two), cookie)) {
				onOne.next("hello");
				onTwo.next("hello");
				int acknowledged = 0;
				for (int i = 0; i < 3; i++) {
					acknowledged += increment(onOne, "before" + i) ? 1 : 0;
				}
				assertThat(acknowledged).isEqualTo(3);

				redis.stop();
				for (int i = 0; i < 3; i++) {
					onTwo.action("increment", null, "during" + i);
					JsonNode answer = nextAnswer(onTwo);
					assertThat(answer.get("type").asString()).isEqualTo("error");
					assertThat(answer.get("code").asString()).isEqualTo("unavailable");
				}
				one.getBean(Broadcaster.class).send(BroadcastTarget.groups(groupId), "local still works");
				assertThat(nextRaw(onOne)).isEqualTo("local still works");
				assertThat(onOne.isClosed()).isFalse();
				assertThat(onTwo.isClosed()).isFalse();

				redis.restart();
				long deadline = System.currentTimeMillis() + 30_000;
				boolean recovered = false;
				int attempt = 0;
				while (!recovered && System.currentTimeMillis() < deadline) {
					recovered = increment(onTwo, "after" + attempt++);
					acknowledged += recovered ? 1 : 0;
					if (!recovered) {
						// Paced as a client retries: while Redis reconnects the answer
						// (unavailable) comes at once, and the two tabs share one
						// browser's
						// rate limit.
						Thread.sleep(100);
					}
				}
				assertThat(recovered).as("actions work again once Redis is back").isTrue();
				// Cross-instance delivery resumes once the subscription is back.
				JsonNode state = null;
				while (System.currentTimeMillis() < deadline) {
					acknowledged += increment(onTwo, "cross" + attempt++) ? 1 : 0;
					state = nextState(onOne, Duration.ofMillis(1500));
					if (state != null) {
						break;
					}
				}
				assertThat(state).as("instance one hears instance two's changes again").isNotNull();
				onOne.sendText("{\"type\":\"sync\"}");
				JsonNode full = onOne.next("state");
				while (!full.path("full").asBoolean()) {
					full = onOne.next("state");
				}
				assertThat(full.at("/state/counter/count").asInt()).as("no acknowledged increment lost")
					.isEqualTo(acknowledged);
				assertThat(full.get("version").asLong()).isEqualTo(acknowledged);
			}
		}
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

	private static @Nullable JsonNode nextState(LiveTestClient client, Duration timeout) {
		long deadline = System.currentTimeMillis() + timeout.toMillis();
		while (System.currentTimeMillis() < deadline) {
			Object frame = client.poll(Duration.ofMillis(100));
			if (frame instanceof String text && text.contains("\"type\":\"state\"")) {
				return mapper.readTree(text);
			}
		}
		return null;
	}

}
