package io.livesession.autoconfigure.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.livesession.Broadcaster;
import io.livesession.BroadcastTarget;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.autoconfigure.actuate.LiveSessionEndpoint;
import io.livesession.identity.AnonymousCookies;
import io.livesession.metrics.ActionObservationContext;
import io.livesession.metrics.BroadcastObservationContext;
import io.livesession.revocation.Revocations;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Micrometer meters and observations after a scripted scenario against a running
 * application, with the application's own {@code SimpleMeterRegistry} and a
 * {@link TestObservationRegistry}.
 */
class MetricsIntegrationTests {

	@Test
	void metersAndObservationsAfterConnectingFiveBroadcastingThreeEvictingOneAndRevokingOne() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LiveTestApplication.class,
				TestObservations.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "livesession.send-buffer-size-limit=64KB",
					"management.endpoints.web.exposure.include=livesession")
			.run()) {
			int port = LiveCluster.port(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
			String anonymous = "LIVESESSION=" + HttpBrowser.anonymousCookie(port);
			try (LiveTestClient alice1 = user(port, "alice");
					LiveTestClient alice2 = user(port, "alice");
					LiveTestClient bob = user(port, "bob");
					LiveTestClient anon1 = LiveTestClient.connect(port, anonymous);
					LiveTestClient anon2 = LiveTestClient.connect(port, anonymous)) {
				List<LiveTestClient> all = List.of(alice1, alice2, bob, anon1, anon2);
				all.forEach((client) -> client.next("hello"));
				// Connect 5: 3 groups (user:alice, user:bob, one anonymous), 2 users
				assertThat(gauge(meters, "livesession.connections")).isEqualTo(5);
				assertThat(gauge(meters, "livesession.groups")).isEqualTo(3);
				assertThat(gauge(meters, "livesession.users")).isEqualTo(2);
				awaitCount(meters, "livesession.frames.sent", 5);

				// Broadcast 3
				Broadcaster broadcaster = context.getBean(Broadcaster.class);
				for (int i = 0; i < 3; i++) {
					assertThat(broadcaster.sendToAll("news " + i)).isEqualTo(5);
				}
				for (LiveTestClient client : all) {
					for (int i = 0; i < 3; i++) {
						assertThat(client.poll(Duration.ofSeconds(10))).isEqualTo("news " + i);
					}
				}
				awaitCount(meters, "livesession.frames.sent", 20);

				// An action that changes alice's group (reply + state to her 2
				// connections)
				// and one no handler has (error)
				alice1.action("increment", null, "r1");
				assertThat(alice1.next("reply").get("ref").asString()).isEqualTo("r1");
				alice2.next("state");
				alice1.action("no-such-action", null, "r2");
				assertThat(alice1.next("error").get("code").asString()).isEqualTo("unknown_action");
				awaitCount(meters, "livesession.frames.sent", 24);

				// Evict 1: a frame larger than bob's send buffer limit
				LiveConnection bobConnection = context.getBean(ConnectionRegistry.class)
					.findByUser("bob")
					.iterator()
					.next();
				assertThat(broadcaster.send(BroadcastTarget.connections(bobConnection.getId()), "z".repeat(100_000)))
					.isZero();
				assertThat(bob.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode()).isEqualTo(4008);

				// Revoke 1: an anonymous connection, through the endpoint
				LiveConnection anonConnection = context.getBean(ConnectionRegistry.class)
					.findByGroup("anon:" + AnonymousCookies.deriveId(anonymous.substring("LIVESESSION=".length())))
					.iterator()
					.next();
				assertThat(context.getBean(LiveSessionEndpoint.class).disconnect("connections", anonConnection.getId()))
					.containsEntry("disconnected", 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> anon1.isClosed() || anon2.isClosed());
				assertThat(
						(anon1.isClosed() ? anon1 : anon2).awaitClose(Duration.ofSeconds(1)).getCloseCode().getCode())
					.isEqualTo(1008);
				await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "livesession.connections") == 3);
				assertThat(gauge(meters, "livesession.groups")).isEqualTo(2);
				assertThat(gauge(meters, "livesession.users")).isEqualTo(1);
				assertThat(meters.get("livesession.frames.sent").counter().count()).isEqualTo(24);
				assertThat(
						meters.get("livesession.evictions").tag("reason", "send-buffer-size-limit").counter().count())
					.isOne();
				assertThat(meters.get("livesession.evictions").tag("reason", "send-time-limit").counter().count())
					.isZero();
				assertThat(meters.get("livesession.revocations").counter().count()).isOne();
				assertThat(meters.get("livesession.send.failures").counter().count()).isZero();
				// Queued: 15 broadcasts, reply, 2 states, error, the oversized frame
				assertThat(meters.get("livesession.send.buffer").summary().count()).isEqualTo(20);
				assertThat(meters.get("livesession.send.buffer").summary().max()).isGreaterThan(64 * 1024);

				// Observations, with their tags, also recorded as timers
				assertThat(contexts(observations, ActionObservationContext.class)).map(MetricsIntegrationTests::tags)
					.containsExactly(Map.of("livesession.action", "increment", "livesession.outcome", "success"),
							Map.of("livesession.action", "unknown", "livesession.outcome", "unknown_action"));
				assertThat(contexts(observations, BroadcastObservationContext.class))
					.map((broadcast) -> tags(broadcast) + " " + broadcast.getRecipients())
					.containsExactly("{livesession.frame=message, livesession.target=all} 5",
							"{livesession.frame=message, livesession.target=all} 5",
							"{livesession.frame=message, livesession.target=all} 5",
							"{livesession.frame=state, livesession.target=groups} 2",
							"{livesession.frame=message, livesession.target=connections} 0");
				assertThat(meters.get("livesession.action")
					.tags("livesession.action", "increment", "livesession.outcome", "success")
					.timer()
					.count()).isOne();
				assertThat(meters.get("livesession.broadcast")
					.tags("livesession.target", "all", "livesession.frame", "message")
					.timer()
					.count()).isEqualTo(3);
			}
		}
	}

	@Test
	void aRateLimitCloseIsNotCountedAsARevocationAndARevocationIs() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LiveTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "livesession.rate-limit.actions-per-second=1",
					"livesession.rate-limit.burst=1", "livesession.rate-limit.max-rejections=3",
					"livesession.rate-limit.rejection-window=1m")
			.run()) {
			int port = LiveCluster.port(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			try (LiveTestClient flooder = LiveTestClient.connect(port, "LIVESESSION=" + AnonymousCookies.generate());
					LiveTestClient alice = user(port, "alice")) {
				flooder.next("hello");
				alice.next("hello");
				for (int i = 0; i < 20 && !flooder.isClosed(); i++) {
					try {
						flooder.action("echo", i, "r" + i);
					}
					catch (RuntimeException ex) {
						// Closed by the server meanwhile.
						break;
					}
				}
				assertThat(flooder.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode()).isEqualTo(1008);
				assertThat(flooder.awaitClose(Duration.ofSeconds(1)).getReasonPhrase()).isEqualTo("rate_limited");
				assertThat(meters.get("livesession.revocations").counter().count()).as("the rate limit revokes nothing")
					.isZero();

				context.getBean(Revocations.class).revokeUser("alice");
				RevocationIntegrationTests.assertRevoked(alice, Duration.ofSeconds(5));
				awaitCount(meters, "livesession.revocations", 1);
			}
		}
	}

	private static LiveTestClient user(int port, String name) {
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((name + ":" + LiveTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
		return LiveTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/live"), Map.of("Authorization", basic));
	}

	private static double gauge(MeterRegistry meters, String name) {
		return meters.get(name).tag("scope", "instance").gauge().value();
	}

	private static void awaitCount(MeterRegistry meters, String name, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> meters.get(name).counter().count() >= count);
		assertThat(meters.get(name).counter().count()).isEqualTo(count);
	}

	private static <T extends Observation.Context> List<T> contexts(TestObservationRegistry observations,
			Class<T> type) {
		List<T> result = new java.util.ArrayList<>();
		assertThat(observations).hasHandledContextsThatSatisfy(
				(contexts) -> contexts.stream().filter(type::isInstance).map(type::cast).forEach(result::add));
		return result;
	}

	private static Map<String, String> tags(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> a, java.util.TreeMap::new));
	}

	@Configuration(proxyBeanMethods = false)
	static class TestObservations {

		@Bean
		ObservationRegistry testObservationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
