package io.livesession.topic;

import java.util.ArrayList;
import java.util.List;

import io.livesession.BroadcastTarget;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.registry.ConnectionRegistries;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the in-memory {@link TopicIndex}: membership, listeners, the limit, no index
 * entry left by a leave or a close, and the hold-back of live publications during a
 * recovery.
 */
class InMemoryTopicIndexTests {

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final List<String> told = new ArrayList<>();

	private final TopicListener recorder = new TopicListener() {

		@Override
		public void topicJoined(LiveConnection connection, String topic) {
			InMemoryTopicIndexTests.this.told.add("joined " + connection.getId() + " " + topic);
		}

		@Override
		public void topicLeft(LiveConnection connection, String topic) {
			InMemoryTopicIndexTests.this.told.add("left " + connection.getId() + " " + topic);
		}

	};

	private final TopicPresence presence = LiveTopics.localPresence((event) -> {
	});

	private final TopicIndex topics = LiveTopics.inMemory(this.registry, this.presence,
			List.of(this.presence, this.recorder), LiveTopics.DEFAULT_MAX_PER_CONNECTION);

	@Test
	void aRegisteredConnectionJoinsOnceAndListenersAreToldAfterwards() {
		RecordingMember alice = register("a1", "alice");
		assertThat(alice.join("room:a")).isTrue();
		assertThat(alice.join("room:a")).isFalse();
		assertThat(alice.getTopics()).containsExactly("room:a");
		assertThat(this.topics.findMembers("room:a")).containsExactly(alice);
		assertThat(this.topics.getMemberCount("room:a")).isEqualTo(1);
		assertThat(this.topics.getMemberUserIds("room:a")).containsExactly("alice");
		assertThat(this.told).containsExactly("joined a1 room:a");
	}

	@Test
	void aConnectionThatIsNotRegisteredCannotJoin() {
		RecordingMember stranger = new RecordingMember("s1", "alice");
		assertThatIllegalStateException().isThrownBy(() -> stranger.join("room:a"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.topics.join(stranger, "room:a"));
		assertThat(this.topics.getTopicNames()).isEmpty();
	}

	@Test
	void anInvalidNameIsRefusedAndChangesNothing() {
		RecordingMember alice = register("a1", "alice");
		assertThatIllegalArgumentException().isThrownBy(() -> alice.join("room a"));
		assertThatIllegalArgumentException().isThrownBy(() -> alice.join("x".repeat(129)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.topics.join(BroadcastTarget.all(), ""));
		assertThat(this.topics.getTopicNames()).isEmpty();
		assertThat(this.told).isEmpty();
	}

	@Test
	void aConnectionJoinsAtMostTheDefaultNumberOfTopics() {
		RecordingMember alice = register("a1", "alice");
		for (int i = 0; i < 64; i++) {
			alice.join("t" + i);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> alice.join("t64"));
		assertThat(alice.getTopics()).hasSize(64).doesNotContain("t64");
		assertThat(this.topics.getTopicNames()).hasSize(64).doesNotContain("t64");
		// Joined through a target, a full connection keeps the others in.
		RecordingMember bob = register("b1", "bob");
		assertThat(this.topics.join(BroadcastTarget.connections("a1", "b1"), "t64")).isEqualTo(1);
		assertThat(this.topics.findMembers("t64")).containsExactly(bob);
	}

	@Test
	void leavingAndClosingLeaveNoIndexEntryAndTellTheListeners() {
		RecordingMember alice = register("a1", "alice");
		RecordingMember bob = register("b1", "bob");
		alice.join("room:a");
		alice.join("room:b");
		bob.join("room:a");
		assertThat(alice.leave("room:b")).isTrue();
		assertThat(alice.leave("room:b")).isFalse();
		assertThat(this.topics.getTopicNames()).containsExactly("room:a");
		unregister(alice);
		unregister(bob);
		assertThat(this.topics.getTopicNames()).isEmpty();
		assertThat(this.topics.findMembers("room:a")).isEmpty();
		assertThat(alice.getTopics()).isEmpty();
		assertThat(this.topics.getMemberCount("room:a")).isZero();
		assertThat(this.told).containsExactly("joined a1 room:a", "joined a1 room:b", "joined b1 room:a",
				"left a1 room:b", "left a1 room:a", "left b1 room:a");
	}

	@Test
	void aClosedConnectionJoinsNothing() {
		RecordingMember alice = register("a1", "alice");
		alice.open = false;
		assertThat(alice.join("room:a")).isFalse();
		assertThat(this.topics.getTopicNames()).isEmpty();
	}

	@Test
	void serverCodeJoinsAndLeavesEveryConnectionATargetMatches() {
		RecordingMember alice1 = register("a1", "alice");
		RecordingMember alice2 = register("a2", "alice");
		register("b1", "bob");
		assertThat(this.topics.join(BroadcastTarget.users("alice"), "doc:42")).isEqualTo(2);
		assertThat(this.topics.findMembers("doc:42")).containsExactlyInAnyOrder(alice1, alice2);
		assertThat(this.topics.join(BroadcastTarget.topic("doc:42"), "doc:43")).isEqualTo(2);
		assertThat(this.topics.leave(BroadcastTarget.all(), "doc:42")).isEqualTo(2);
		assertThat(this.topics.getTopicNames()).containsExactly("doc:43");
	}

	@Test
	void aPublicationReachesTheMembersOfItsTopicOnly() {
		RecordingMember alice = register("a1", "alice");
		RecordingMember bob = register("b1", "bob");
		alice.join("room:a");
		bob.join("room:b");
		assertThat(this.topics.deliver("room:a", publication(-1))).isEqualTo(1);
		assertThat(this.topics.deliver("room:c", publication(-1))).isZero();
		assertThat(alice.frames).hasSize(1);
		assertThat(bob.frames).isEmpty();
	}

	@Test
	void liveOnesArrivingDuringARecoveryFollowTheReplayOnceAndInOrder() {
		RecordingMember alice = recovering("a1");
		// The replay covers up to 12; 11 and 12 were published live during it too.
		this.topics.deliver("feed:x", publication(11));
		this.topics.deliver("feed:x", publication(12));
		this.topics.deliver("feed:x", publication(13));
		assertThat(alice.frames).as("held back").isEmpty();
		alice.send(publication(10));
		alice.send(publication(11));
		alice.send(publication(12));
		this.topics.release(alice, "feed:x", 12);
		this.topics.deliver("feed:x", publication(12));
		this.topics.deliver("feed:x", publication(14));
		this.topics.deliver("feed:x", publication(15));
		assertThat(alice.offsets()).containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
	}

	@Test
	void aHoldBackEndsWithItsMembership() {
		RecordingMember alice = recovering("a1");
		this.topics.deliver("feed:x", publication(1));
		alice.leave("feed:x");
		alice.join("feed:x");
		this.topics.deliver("feed:x", publication(2));
		assertThat(alice.offsets()).containsExactly(2L);
		// A refused join leaves no hold-back behind.
		RecordingMember closed = register("c1", "carol");
		closed.open = false;
		this.topics.holdBack(closed, "feed:x");
		assertThat(closed.join("feed:x")).isFalse();
		this.topics.release(closed, "feed:x", 0);
		closed.open = true;
		closed.join("feed:x");
		this.topics.deliver("feed:x", publication(3));
		assertThat(closed.offsets()).containsExactly(3L);
	}

	private RecordingMember register(String id, String userId) {
		RecordingMember connection = new RecordingMember(id, userId);
		this.registry.register(connection);
		this.topics.connectionRegistered(connection);
		return connection;
	}

	/** A member that joined feed:x to recover it. */
	private RecordingMember recovering(String id) {
		RecordingMember connection = register(id, "alice");
		this.topics.holdBack(connection, "feed:x");
		connection.join("feed:x");
		return connection;
	}

	private void unregister(RecordingMember connection) {
		connection.open = false;
		this.registry.unregister(connection);
		this.topics.connectionUnregistered(connection);
	}

	private static Frame publication(long offset) {
		return Frame.publication("{\"type\":\"publication\",\"offset\":" + offset + "}", "feed:x", offset);
	}

}
