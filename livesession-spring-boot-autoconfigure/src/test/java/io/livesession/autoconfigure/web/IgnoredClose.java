package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.SessionGroups;
import io.livesession.revocation.Revocations;
import io.livesession.revocation.UserErasure;
import io.livesession.test.CloseIgnoringClient;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenarios of a client that ignores the server's close frame: after a logout, the
 * expiry of its HTTP session, a kick, an erasure, a rate-limit close or an eviction it
 * sends five actions 100 to 500 ms later, and none is committed. The server's decision is
 * taken on {@code trigger}, the client is connected to {@code served}: the same instance,
 * or two instances on one Redis.
 */
final class IgnoredClose {

	/** The properties the instances need: HTTP sessions that expire, checked often. */
	static final String[] PROPERTIES = { "livesession.security.keep-http-session-alive=false",
			"livesession.security.session-check-interval=200ms" };

	private static final Duration FIRST = Duration.ofMillis(100);

	private static final Duration LAST = Duration.ofMillis(500);

	private final ConfigurableApplicationContext trigger;

	private final ConfigurableApplicationContext served;

	IgnoredClose(ConfigurableApplicationContext trigger, ConfigurableApplicationContext served) {
		this.trigger = trigger;
		this.served = served;
	}

	void logout() {
		Browser browser = login("alice");
		try (CloseIgnoringClient client = connect(browser)) {
			browser.on(LiveCluster.port(this.trigger)).logout();
			assertNothingCommittedAfterClose(client, "user:alice", 1008);
		}
	}

	void httpSessionExpiry() {
		Browser browser = login("alice");
		assertThat(browser.get("/test/session-timeout?seconds=1").statusCode()).isEqualTo(200);
		try (CloseIgnoringClient client = connect(browser)) {
			assertNothingCommittedAfterClose(client, "user:alice", 1008);
		}
	}

	void kick() {
		Browser browser = login("bob");
		try (CloseIgnoringClient client = connect(browser)) {
			this.trigger.getBean(Revocations.class).revokeUser("bob");
			assertNothingCommittedAfterClose(client, "user:bob", 1008);
		}
	}

	void erasure() {
		Browser browser = login("carol");
		try (CloseIgnoringClient client = connect(browser)) {
			assertThat(this.trigger.getBean(UserErasure.class).erase("carol")).contains("user:carol");
			assertNothingCommittedAfterClose(client, "user:carol", 1008);
			assertThat(version("user:carol")).as("the erased group stays empty").isZero();
		}
	}

	void rateLimitClose() {
		Browser browser = login("admin");
		try (CloseIgnoringClient client = connect(browser)) {
			// The shipped limit: 40 at once, then 100 refusals within 10 s close it.
			for (int i = 0; i < 400 && client.getCloseCode() == -1; i++) {
				client.sendText("{\"type\":\"sync\"}");
			}
			assertNothingCommittedAfterClose(client, "user:admin", 1008);
		}
	}

	void eviction() {
		Browser browser = login("alice");
		ConnectionRegistry registry = this.served.getBean(ConnectionRegistry.class);
		Set<String> before = ids(registry);
		try (CloseIgnoringClient client = CloseIgnoringClient.openStalled(LiveCluster.port(this.served),
				browser.cookieHeader())) {
			String id = await().atMost(Duration.ofSeconds(5))
				.until(() -> ids(registry).stream().filter((candidate) -> !before.contains(candidate)).findFirst(),
						(found) -> found.isPresent())
				.orElseThrow();
			Broadcaster broadcaster = this.trigger.getBean(Broadcaster.class);
			String padding = "x".repeat(8 * 1024);
			// The shipped send buffer limit (512 KiB): the client reads nothing, so its
			// queue grows until it is evicted with 4008.
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (registry.find(id) != null && System.nanoTime() < deadline) {
				for (int i = 0; i < 20; i++) {
					broadcaster.send(BroadcastTarget.connections(id), padding);
				}
				sleep(Duration.ofMillis(5));
			}
			assertThat(registry.find(id)).as("evicted").isNull();
			assertActionsIgnored(client, "user:alice");
		}
	}

	private static Set<String> ids(ConnectionRegistry registry) {
		return registry.findByUser("alice").stream().map(LiveConnection::getId).collect(Collectors.toSet());
	}

	private Browser login(String user) {
		Browser browser = new Browser(LiveCluster.port(this.served));
		browser.login(user);
		return browser;
	}

	/**
	 * Connect and commit one action, so that the connection demonstrably acts until it is
	 * closed.
	 */
	private CloseIgnoringClient connect(Browser browser) {
		CloseIgnoringClient client = CloseIgnoringClient.open(LiveCluster.port(this.served), browser.cookieHeader());
		assertThat(client.next("hello", Duration.ofSeconds(10)).get("userId").isString()).isTrue();
		client.sendAction("increment", "before");
		client.next("reply", Duration.ofSeconds(10));
		return client;
	}

	private void assertNothingCommittedAfterClose(CloseIgnoringClient client, String groupId, int closeCode) {
		assertThat(client.awaitCloseFrame(Duration.ofSeconds(5))).isEqualTo(closeCode);
		assertActionsIgnored(client, groupId);
	}

	private void assertActionsIgnored(CloseIgnoringClient client, String groupId) {
		long version = version(groupId);
		int taken = client.sendSpread("increment", 5, FIRST, LAST);
		assertThat(taken).as("the server had not dropped the TCP connection yet").isPositive();
		// Long enough for an action to be committed, were it processed.
		sleep(Duration.ofMillis(500));
		assertThat(version(groupId)).as("no action committed after the close").isEqualTo(version);
		assertThat(client.getTextAfterClose()).as("no reply after the close frame")
			.noneMatch((text) -> text.contains("\"reply\""));
	}

	private long version(String groupId) {
		return this.trigger.getBean(SessionGroups.class).get(groupId).getVersion();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
