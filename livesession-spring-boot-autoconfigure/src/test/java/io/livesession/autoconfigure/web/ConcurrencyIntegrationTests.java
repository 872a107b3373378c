package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent read-modify-write on one group is serialized and never loses an update. The
 * clients send as fast as they can, so the rate limit is off.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "livesession.rate-limit.enabled=false")
class ConcurrencyIntegrationTests {

	private static final int CONNECTIONS = 20;

	private static final int INCREMENTS = 500;

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Test
	void twentyConnectionsSendingFiveHundredIncrementsEachEndAtExactlyTenThousand() throws Exception {
		String value = HttpBrowser.anonymousCookie(this.port);
		String cookie = "LIVESESSION=" + value;
		String groupId = "anon:" + AnonymousCookies.deriveId(value);
		List<LiveTestClient> clients = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(CONNECTIONS);
		try {
			for (int i = 0; i < CONNECTIONS; i++) {
				LiveTestClient client = LiveTestClient.connect(this.port, cookie);
				assertThat(client.next("hello").get("version").asLong()).isZero();
				clients.add(client);
			}
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> senders = new ArrayList<>();
			for (LiveTestClient client : clients) {
				senders.add(executor.submit(() -> {
					start.await();
					for (int n = 0; n < INCREMENTS; n++) {
						client.action("increment", null, null);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> sender : senders) {
				sender.get(60, TimeUnit.SECONDS);
			}
			int total = CONNECTIONS * INCREMENTS;
			for (LiveTestClient client : clients) {
				long version = 0;
				JsonNode last = null;
				while (version < total) {
					JsonNode frame = client.next(Duration.ofSeconds(30));
					assertThat(frame.get("type").asString()).isEqualTo("state");
					long next = frame.get("version").asLong();
					if (next != version + 1) {
						assertThat(frame.get("full").asBoolean()).as("a version jump only with a coalesced full state")
							.isTrue();
					}
					assertThat(next).isGreaterThan(version);
					assertThat(frame.at("/state/counter/count").asInt()).as("count equals version")
						.isEqualTo((int) next);
					version = next;
					last = frame;
				}
				assertThat(last.at("/state/counter/count").asInt()).isEqualTo(total);
			}
			assertThat(this.groups.get(groupId).getVersion()).as("one version per committed change").isEqualTo(total);
		}
		finally {
			executor.shutdownNow();
			clients.forEach(LiveTestClient::close);
		}
	}

}
