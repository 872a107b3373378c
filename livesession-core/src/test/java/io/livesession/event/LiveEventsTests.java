package io.livesession.event;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for the application events: what listeners and the audit log read from them.
 */
class LiveEventsTests {

	private final Object presence = new Object();

	@Test
	void presenceEventsSayWhoCameOnlineOrWentOffline() {
		assertThat(new UserConnectedEvent(this.presence, "alice")).satisfies((event) -> {
			assertThat(event.getKind()).isEqualTo(LivePresenceEvent.Kind.USER);
			assertThat(event.getUserId()).isEqualTo(event.getId()).isEqualTo("alice");
			assertThat(event.isOnline()).isTrue();
			assertThat(event.getSource()).isSameAs(this.presence);
		});
		assertThat(new UserDisconnectedEvent(this.presence, "alice")).satisfies((event) -> {
			assertThat(event.getKind()).isEqualTo(LivePresenceEvent.Kind.USER);
			assertThat(event.isOnline()).isFalse();
		});
		assertThat(new GroupOpenedEvent(this.presence, "g1")).satisfies((event) -> {
			assertThat(event.getKind()).isEqualTo(LivePresenceEvent.Kind.GROUP);
			assertThat(event.getGroupId()).isEqualTo(event.getId()).isEqualTo("g1");
			assertThat(event.isOnline()).isTrue();
		});
		assertThat(new GroupClosedEvent(this.presence, "g1")).satisfies((event) -> {
			assertThat(event.getKind()).isEqualTo(LivePresenceEvent.Kind.GROUP);
			assertThat(event.isOnline()).isFalse();
		});
	}

	@Test
	void presenceEventsDescribeThemselvesByClassAndId() {
		assertThat(new UserDisconnectedEvent(this.presence, "bob")).hasToString("UserDisconnectedEvent[userId=bob]");
		assertThat(new GroupOpenedEvent(this.presence, "anon:x")).hasToString("GroupOpenedEvent[groupId=anon:x]");
	}

	@Test
	void connectionEventsListTheConnectionFirstThenTheirOwnDetails() {
		LiveConnection connection = connection();
		assertThat(new LiveConnectionOpenedEvent(connection).getDetails()).containsExactly(entry("connectionId", "c1"),
				entry("groupId", "user:alice"));
		assertThat(new LiveConnectionClosedEvent(connection, 1001, "going away").getDetails()).containsExactly(
				entry("connectionId", "c1"), entry("groupId", "user:alice"), entry("code", 1001),
				entry("reason", "going away"));
		assertThat(new LiveActionDeniedEvent(connection, "add", LiveActionException.FORBIDDEN).getDetails())
			.containsExactly(entry("connectionId", "c1"), entry("groupId", "user:alice"), entry("action", "add"),
					entry("code", "forbidden"));
		assertThat(new LiveConnectionRevokedEvent(connection, RevocationReason.LOGOUT).getDetails())
			.containsExactly(entry("connectionId", "c1"), entry("groupId", "user:alice"), entry("reason", "LOGOUT"));
	}

	@Test
	void auditEventsCarryTheirTypeAndTheUser() {
		LiveConnection connection = connection();
		assertThat(new LiveConnectionOpenedEvent(connection)).satisfies((event) -> {
			assertThat(event.getType()).isEqualTo(LiveConnectionOpenedEvent.TYPE);
			assertThat(event.getSource()).isEqualTo("c1");
			assertThat(event.getPrincipalName()).isEqualTo("alice");
		});
		assertThat(new LiveConnectionClosedEvent(connection, 1000, "").getType())
			.isEqualTo(LiveConnectionClosedEvent.TYPE);
		assertThat(new LiveActionDeniedEvent(connection, "add", "forbidden").getType())
			.isEqualTo(LiveActionDeniedEvent.TYPE);
		assertThat(new LiveConnectionRevokedEvent(connection, RevocationReason.LOGIN).getType())
			.isEqualTo(LiveConnectionRevokedEvent.TYPE);
		assertThat(new LiveUserErasedEvent("alice", Set.of()).getType()).isEqualTo(LiveUserErasedEvent.TYPE);
	}

	@Test
	void aRejectedHandshakeIsDescribedByPlainValues() {
		LiveConnectionRejectedEvent event = new LiveConnectionRejectedEvent("/live", "10.0.0.7", null, null,
				LiveConnectionRejectedEvent.Reason.HOOK, "banned");
		assertThat(event.getType()).isEqualTo(LiveConnectionRejectedEvent.TYPE);
		assertThat(event.getPrincipalName()).isEqualTo(LiveAuditEvent.ANONYMOUS);
		assertThat(event.getDetails()).containsExactly(entry("reason", "HOOK"), entry("path", "/live"),
				entry("remoteAddress", "10.0.0.7"), entry("detail", "banned"));
		assertThat(new LiveConnectionRejectedEvent("/live", null, "bob", null,
				LiveConnectionRejectedEvent.Reason.ORIGIN, null)
			.getDetails()).containsExactly(entry("reason", "ORIGIN"), entry("path", "/live"));
	}

	@Test
	void anErasedUserIsListedWithTheDeletedGroups() {
		LiveUserErasedEvent event = new LiveUserErasedEvent("alice", Set.of("user:alice"));
		assertThat(event.getPrincipalName()).isEqualTo("alice");
		assertThat(event.getDetails()).containsExactly(entry("userId", "alice"),
				entry("groups", List.of("user:alice")));
	}

	private static LiveConnection connection() {
		LiveConnection connection = mock(LiveConnection.class);
		given(connection.getId()).willReturn("c1");
		given(connection.getUserId()).willReturn("alice");
		given(connection.getGroupId()).willReturn("user:alice");
		return connection;
	}

	private static Map.Entry<String, Object> entry(String key, Object value) {
		return Map.entry(key, value);
	}

}
