package io.livesession.autoconfigure.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.event.RevocationReason;
import io.livesession.revocation.Revocations;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one Redis, with HTTP sessions in Redis through Spring Session: a
 * logout, the revocation API, the Actuator disconnect and the end of an HTTP session
 * reach the sockets on every instance, and a socket keeps its Redis HTTP session alive.
 */
class ClusterRevocationIntegrationTests {

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
		this.one = start();
		this.two = start();
	}

	private ConfigurableApplicationContext start() {
		return this.cluster.start(LoginTestApplication.class, "test.redis-sessions=true",
				"livesession.security.session-check-interval=200ms",
				"management.endpoints.web.exposure.include=livesession",
				"management.endpoint.livesession.access=unrestricted");
	}

	@AfterEach
	void stopInstances() {
		this.cluster.close();
	}

	private Browser browser(ConfigurableApplicationContext instance) {
		return new Browser(LiveCluster.port(instance));
	}

	/**
	 * The Spring Session id behind a browser's {@code SESSION} cookie.
	 */
	private static String sessionId(Browser browser) {
		return new String(Base64.getDecoder().decode(browser.cookie("SESSION")), StandardCharsets.UTF_8);
	}

	@Test
	void logoutOnOneInstanceClosesThatSessionsSocketsOnEveryInstanceAndLeavesTheOtherSessionOpen() {
		Browser laptop = browser(this.one);
		laptop.login("alice");
		Browser phone = browser(this.two);
		phone.login("alice");
		try (LiveTestClient onOne = laptop.connect();
				LiveTestClient onTwo = laptop.on(LiveCluster.port(this.two)).connect();
				LiveTestClient phoneOnTwo = phone.connect()) {
			assertThat(onTwo.getReceived().get(0).get("userId").asString()).as("the Redis session is shared")
				.isEqualTo("alice");
			laptop.on(LiveCluster.port(this.one)).logout();
			RevocationIntegrationTests.assertRevoked(onOne, Duration.ofSeconds(1));
			RevocationIntegrationTests.assertRevoked(onTwo, Duration.ofSeconds(2));
			RevocationIntegrationTests.assertStillServed(phoneOnTwo, "alice");
		}
	}

	@Test
	void revokeUserOnOneInstanceClosesTheUsersSocketsOnEveryInstance() {
		Browser bob = browser(this.one);
		bob.login("bob");
		Browser carol = browser(this.two);
		carol.login("carol");
		try (LiveTestClient onOne = bob.connect();
				LiveTestClient onTwo = bob.on(LiveCluster.port(this.two)).connect();
				LiveTestClient bystander = carol.connect()) {
			this.one.getBean(Revocations.class).revokeUser("bob");
			RevocationIntegrationTests.assertRevoked(onOne, Duration.ofSeconds(1));
			RevocationIntegrationTests.assertRevoked(onTwo, Duration.ofSeconds(2));
			RevocationIntegrationTests.assertStillServed(bystander, "carol");
		}
	}

	@Test
	void theActuatorDisconnectOnOneInstanceRevokesOnEveryInstanceWithAnEventAnAuditEntryAndTheMetric() {
		Browser bob = browser(this.one);
		bob.login("bob");
		Browser carol = browser(this.two);
		carol.login("carol");
		Browser admin = browser(this.one);
		admin.login("admin");
		try (LiveTestClient onOne = bob.connect();
				LiveTestClient onTwo = bob.on(LiveCluster.port(this.two)).connect();
				LiveTestClient carolOnTwo = carol.connect()) {
			HttpResponse<String> user = admin.postJson("/actuator/livesession/users/bob", "{}",
					Map.of("X-CSRF-TOKEN", admin.csrf("/logout")));
			assertThat(user.statusCode()).as(user.body()).isEqualTo(200);
			assertThat(user.body()).as("the connections of the receiving instance").isEqualTo("{\"disconnected\":1}");
			RevocationIntegrationTests.assertRevoked(onOne, Duration.ofSeconds(1));
			RevocationIntegrationTests.assertRevoked(onTwo, Duration.ofSeconds(2));
			RevocationIntegrationTests.assertStillServed(carolOnTwo, "carol");
			for (ConfigurableApplicationContext instance : List.of(this.one, this.two)) {
				LiveConnectionRevokedEvent event = instance.getBean(LoginTestApplication.RecordedEvents.class)
					.await(LiveConnectionRevokedEvent.class, (revoked) -> "bob".equals(revoked.getUserId()));
				assertThat(event.getReason()).isEqualTo(RevocationReason.APPLICATION);
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(instance.getBean(AuditEventRepository.class)
						.find("bob", null, LiveConnectionRevokedEvent.TYPE)).singleElement()
						.satisfies((audit) -> assertThat(audit.getData()).containsEntry("reason", "APPLICATION")));
				assertThat(instance.getBean(MeterRegistry.class).get("livesession.revocations").counter().count())
					.isOne();
			}

			// A connection of the other instance: this one has none to count, the other
			// closes it.
			String carolsConnection = carolOnTwo.getReceived().get(0).get("connectionId").asString();
			HttpResponse<String> connection = admin.postJson("/actuator/livesession/connections/" + carolsConnection,
					"{}", Map.of("X-CSRF-TOKEN", admin.csrf("/logout")));
			assertThat(connection.statusCode()).as(connection.body()).isEqualTo(200);
			assertThat(connection.body()).isEqualTo("{\"disconnected\":0}");
			RevocationIntegrationTests.assertRevoked(carolOnTwo, Duration.ofSeconds(2));
			assertThat(this.two.getBean(LoginTestApplication.RecordedEvents.class)
				.await(LiveConnectionRevokedEvent.class, (revoked) -> "carol".equals(revoked.getUserId()))
				.getReason()).isEqualTo(RevocationReason.APPLICATION);
		}
	}

	@Test
	void anHttpSessionDeletedFromRedisClosesItsSocketsWithinTheCheckInterval() {
		Browser browser = browser(this.one);
		browser.login("carol");
		try (LiveTestClient onTwo = browser.on(LiveCluster.port(this.two)).connect()) {
			// Deleted behind the application's back: no event, only the check finds it.
			this.one.getBean(SessionRepository.class).deleteById(sessionId(browser));
			RevocationIntegrationTests.assertRevoked(onTwo, Duration.ofMillis(200 + 800));
		}
	}

	@Test
	void anOpenSocketKeepsItsRedisHttpSessionAlivePastTheSessionTimeout() throws InterruptedException {
		Browser connected = browser(this.one);
		connected.login("admin");
		Browser idle = browser(this.one);
		idle.login("bob");
		connected.get("/test/session-timeout?seconds=2");
		idle.get("/test/session-timeout?seconds=2");
		try (LiveTestClient onTwo = connected.on(LiveCluster.port(this.two)).connect()) {
			// Three session timeouts without a request from either browser.
			Thread.sleep(6000);
			assertThat(onTwo.isClosed()).isFalse();
			assertThat(connected.on(LiveCluster.port(this.one)).currentUser()).isEqualTo("admin");
			assertThat(idle.currentUser()).as("the session without a connection expired").isNull();
		}
	}

}
