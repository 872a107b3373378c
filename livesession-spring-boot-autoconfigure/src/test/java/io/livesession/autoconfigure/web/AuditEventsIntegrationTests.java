package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livesession.event.LiveActionDeniedEvent;
import io.livesession.event.LiveConnectionClosedEvent;
import io.livesession.event.LiveConnectionOpenedEvent;
import io.livesession.event.LiveConnectionRejectedEvent;
import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawHandshake;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections opened, closed, rejected and revoked and actions denied are published as
 * application events with the right principal and reason, and recorded in Actuator's
 * audit event repository.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "livesession.require-authentication=true")
class AuditEventsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LoginTestApplication.RecordedEvents events;

	@Autowired
	AuditEventRepository audit;

	private List<AuditEvent> audited(String principal, String type) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		List<AuditEvent> found = this.audit.find(principal, null, type);
		while (found.isEmpty() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
			found = this.audit.find(principal, null, type);
		}
		return found;
	}

	@Test
	void openingAndClosingAConnectionArePublishedWithItsUser() {
		Browser browser = new Browser(this.port);
		browser.login("alice");
		String connectionId;
		try (LiveTestClient client = browser.connect()) {
			connectionId = client.getReceived().get(0).get("connectionId").asString();
			LiveConnectionOpenedEvent opened = this.events.await(LiveConnectionOpenedEvent.class,
					(event) -> event.getConnection().getId().equals(connectionId));
			assertThat(opened.getUserId()).isEqualTo("alice");
			assertThat(opened.getPrincipal().getName()).isEqualTo("alice");
		}
		LiveConnectionClosedEvent closed = this.events.await(LiveConnectionClosedEvent.class,
				(event) -> event.getConnection().getId().equals(connectionId));
		assertThat(closed.getCode()).isEqualTo(1000);
		assertThat(closed.getUserId()).isEqualTo("alice");
		assertThat(audited("alice", LiveConnectionOpenedEvent.TYPE))
			.anySatisfy((event) -> assertThat(event.getData()).containsEntry("connectionId", connectionId)
				.containsEntry("groupId", "user:alice"));
		assertThat(audited("alice", LiveConnectionClosedEvent.TYPE))
			.anySatisfy((event) -> assertThat(event.getData()).containsEntry("connectionId", connectionId)
				.containsEntry("code", 1000));
	}

	@Test
	void aRefusedHandshakeIsPublishedWithItsReason() {
		assertThat(RawHandshake.send(this.port, "/live", Map.of()).status()).isEqualTo(401);
		LiveConnectionRejectedEvent unauthenticated = this.events.await(LiveConnectionRejectedEvent.class,
				(event) -> event.getReason() == LiveConnectionRejectedEvent.Reason.UNAUTHENTICATED);
		assertThat(unauthenticated.getUserId()).isNull();
		assertThat(unauthenticated.getPath()).isEqualTo("/live");
		assertThat(unauthenticated.getRemoteAddress()).isEqualTo("127.0.0.1");

		assertThat(RawHandshake
			.send(this.port, "/live",
					Map.of("Origin", "https://evil.example", "Authorization", UserGroupsIntegrationTests.basic("bob")))
			.status()).isEqualTo(403);
		LiveConnectionRejectedEvent origin = this.events.await(LiveConnectionRejectedEvent.class,
				(event) -> event.getReason() == LiveConnectionRejectedEvent.Reason.ORIGIN);
		assertThat(origin.getUserId()).isEqualTo("bob");

		assertThat(RawHandshake
			.send(this.port, "/live",
					Map.of("X-Reject", "nope", "Authorization", UserGroupsIntegrationTests.basic("carol")))
			.status()).isEqualTo(403);
		LiveConnectionRejectedEvent hook = this.events.await(LiveConnectionRejectedEvent.class,
				(event) -> event.getReason() == LiveConnectionRejectedEvent.Reason.HOOK);
		assertThat(hook.getUserId()).isEqualTo("carol");
		assertThat(hook.getDetail()).isEqualTo("rejected: nope");

		assertThat(audited("anonymous", LiveConnectionRejectedEvent.TYPE))
			.anySatisfy((event) -> assertThat(event.getData()).containsEntry("reason", "UNAUTHENTICATED"));
		assertThat(audited("bob", LiveConnectionRejectedEvent.TYPE))
			.anySatisfy((event) -> assertThat(event.getData()).containsEntry("reason", "ORIGIN"));
		assertThat(audited("carol", LiveConnectionRejectedEvent.TYPE))
			.anySatisfy((event) -> assertThat(event.getData()).containsEntry("reason", "HOOK"));
	}

	@Test
	void aForbiddenActionIsPublishedAsDenied() {
		Browser browser = new Browser(this.port);
		browser.login("bob");
		try (LiveTestClient client = browser.connect()) {
			client.action("adminOnly", null, "a");
			assertThat(client.next("error").get("code").asString()).isEqualTo("forbidden");
		}
		LiveActionDeniedEvent denied = this.events.await(LiveActionDeniedEvent.class,
				(event) -> "bob".equals(event.getUserId()));
		assertThat(denied.getAction()).isEqualTo("adminOnly");
		assertThat(denied.getCode()).isEqualTo("forbidden");
		assertThat(audited("bob", LiveActionDeniedEvent.TYPE))
			.anySatisfy((event) -> assertThat(event.getData()).containsEntry("action", "adminOnly")
				.containsEntry("code", "forbidden"));
	}

	@Test
	void aRevocationIsAuditedWithItsReasonAndNoSessionId() {
		Browser browser = new Browser(this.port);
		browser.login("admin");
		try (LiveTestClient client = browser.connect()) {
			browser.logout();
			RevocationIntegrationTests.assertRevoked(client, Duration.ofSeconds(1));
		}
		assertThat(this.events.await(LiveConnectionRevokedEvent.class, (event) -> "admin".equals(event.getUserId()))
			.getPrincipal()
			.getName()).isEqualTo("admin");
		assertThat(audited("admin", LiveConnectionRevokedEvent.TYPE)).singleElement().satisfies((event) -> {
			assertThat(event.getData()).containsEntry("reason", "LOGOUT");
			assertThat(event.getData().toString()).doesNotContain(String.valueOf(browser.cookie("JSESSIONID")));
		});
	}

}
