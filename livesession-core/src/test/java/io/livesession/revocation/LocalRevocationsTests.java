package io.livesession.revocation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.event.RevocationReason;
import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.metrics.LiveMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LocalRevocations} and {@link ConnectionBindings}.
 */
class LocalRevocationsTests {

	private final TestConnections connections = new TestConnections();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final AtomicInteger revokedMetric = new AtomicInteger();

	private final LocalRevocations revocations = new LocalRevocations(this.connections.registry,
			this.connections.bindings, this.events::add, new LiveMetrics() {

				@Override
				public void revoked() {
					LocalRevocationsTests.this.revokedMetric.incrementAndGet();
				}

			});

	@BeforeEach
	void openConnections() {
		this.connections.open("alice-laptop-1", "alice", "s-laptop", "b-laptop");
		this.connections.open("alice-laptop-2", "alice", "s-laptop", "b-laptop");
		this.connections.open("alice-phone", "alice", "s-phone", "b-phone");
		this.connections.open("bob", "bob", "s-bob", "b-bob");
		this.connections.open("anonymous-laptop", null, "s-laptop", "b-laptop");
		this.connections.open("anonymous-other", null, null, "b-other");
	}

	private void assertClosed(String... ids) {
		for (String id : List.of("alice-laptop-1", "alice-laptop-2", "alice-phone", "bob", "anonymous-laptop",
				"anonymous-other")) {
			if (List.of(ids).contains(id)) {
				assertThat(this.connections.closesOf(id)).as(id).containsExactly("1008 revoked");
			}
			else {
				assertThat(this.connections.closesOf(id)).as(id).isEmpty();
			}
		}
	}

	@Test
	void anHttpSessionRevocationClosesOnlyTheAuthenticatedConnectionsOfThatSession() {
		int count = this.revocations
			.revoke(new Revocation(Revocation.Kind.HTTP_SESSION, "s-laptop", RevocationReason.LOGOUT));
		assertThat(count).isEqualTo(2);
		assertClosed("alice-laptop-1", "alice-laptop-2");
	}

	@Test
	void aUserRevocationClosesEveryConnectionOfTheUser() {
		this.revocations.revoke(new Revocation(Revocation.Kind.USER, "alice", RevocationReason.APPLICATION));
		assertClosed("alice-laptop-1", "alice-laptop-2", "alice-phone");
	}

	@Test
	void aConnectionRevocationClosesThatConnection() {
		this.revocations.revoke(new Revocation(Revocation.Kind.CONNECTION, "bob", RevocationReason.APPLICATION));
		assertClosed("bob");
	}

	@Test
	void aBrowserRevocationClosesEveryConnectionOfThatBrowserAnonymousOrNot() {
		this.revocations.revoke(new Revocation(Revocation.Kind.BROWSER, "b-laptop", RevocationReason.LOGIN));
		assertClosed("alice-laptop-1", "alice-laptop-2", "anonymous-laptop");
	}

	@Test
	void aBrowserRevocationSparesTheConnectionsOfTheUserWhoLoggedIn() {
		this.revocations.revoke(new Revocation(Revocation.Kind.BROWSER, "b-laptop", RevocationReason.LOGIN, "alice"));
		assertClosed("anonymous-laptop");
	}

	@Test
	void unknownIdsRevokeNothing() {
		for (Revocation.Kind kind : Revocation.Kind.values()) {
			assertThat(this.revocations.revoke(new Revocation(kind, "nobody", RevocationReason.APPLICATION))).isZero();
		}
		assertClosed();
		assertThat(this.events).isEmpty();
		assertThat(this.revokedMetric).hasValue(0);
	}

	@Test
	void aConnectionIsRevokedAndReportedOnceWhateverMatchesIt() {
		this.revocations.revoke(new Revocation(Revocation.Kind.HTTP_SESSION, "s-laptop", RevocationReason.LOGOUT));
		int again = this.revocations
			.revoke(new Revocation(Revocation.Kind.USER, "alice", RevocationReason.APPLICATION));
		assertThat(again).isEqualTo(1);
		assertThat(this.events).hasSize(3)
			.allSatisfy((event) -> assertThat(event).isInstanceOf(LiveConnectionRevokedEvent.class));
		assertThat(this.events).map((event) -> ((LiveConnectionRevokedEvent) event).getReason())
			.containsExactly(RevocationReason.LOGOUT, RevocationReason.LOGOUT, RevocationReason.APPLICATION);
		assertThat(((LiveConnectionRevokedEvent) this.events.get(0)).getPrincipalName()).isEqualTo("alice");
		assertThat(this.revokedMetric).as("counted once per connection, like the events").hasValue(3);
	}

	@Test
	void anUnboundConnectionLeavesTheIndexes() {
		this.connections.bindings.unbind(this.connections.registry.find("alice-phone"));
		assertThat(this.connections.bindings.findByHttpSession("s-phone")).isEmpty();
		assertThat(this.connections.bindings.findByBrowser("b-phone")).isEmpty();
		assertThat(this.connections.bindings.getHttpSessionIds()).containsExactlyInAnyOrder("s-laptop", "s-bob");
		assertThat(this.connections.bindings.size()).isEqualTo(5);
	}

}
