package io.livesession.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.delivery.LocalDelivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link GroupStateSequence}: a group's {@code state} frames reach this
 * instance's connections once each and in commit order, whether the committing thread or
 * the subscription delivers them.
 */
class GroupStateSequenceTests {

	private final LocalDelivery local = mock(LocalDelivery.class);

	private final List<Long> delivered = new CopyOnWriteArrayList<>();

	/** What deliverIfIdle answers: the busy connections, or null for a large group. */
	private volatile List<LiveConnection> busy = List.of();

	private final LiveConnection slow = mock(LiveConnection.class);

	private final GroupStateSequence sequence = new GroupStateSequence(this.local);

	@BeforeEach
	void record() {
		willAnswer((invocation) -> {
			this.delivered.add(invocation.<Frame>getArgument(1).getStateVersion());
			return 1;
		}).given(this.local).deliver(any(), any());
		willAnswer((invocation) -> {
			List<LiveConnection> busy = this.busy;
			if (busy != null) {
				this.delivered.add(invocation.<Frame>getArgument(1).getStateVersion());
			}
			return busy;
		}).given(this.local).deliverIfIdle(any(), any(), anyInt());
		willAnswer((invocation) -> {
			this.delivered.add(-invocation.<Frame>getArgument(0).getStateVersion());
			return true;
		}).given(this.slow).send(any());
	}

	@Test
	void theFirstCommitOfAGroupNotSeenYetWaitsForTheSubscription() {
		this.sequence.committed("g", 0, state(1));
		assertThat(this.delivered).isEmpty();
		assertThat(received(true, 1)).isTrue();
		assertThat(this.delivered).containsExactly(1L);
	}

	@Test
	void aCommitThatIsNextInOrderIsDeliveredAtOnceAndItsCopyFromTheSubscriptionIsSkipped() {
		received(true, 1);
		this.sequence.committed("g", 1, state(2));
		this.sequence.committed("g", 2, state(3));
		assertThat(this.delivered).containsExactly(1L, 2L, 3L);
		assertThat(received(true, 2)).isTrue();
		assertThat(received(true, 3)).isTrue();
		assertThat(this.delivered).as("each once").containsExactly(1L, 2L, 3L);
		received(true, 4);
		assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void aCommitWhoseFrameTheSubscriptionDeliveredFirstDeliversNothing() {
		received(true, 1);
		received(true, 2);
		this.sequence.committed("g", 1, state(2));
		assertThat(this.delivered).containsExactly(1L, 2L);
	}

	@Test
	void aCommitAfterAnotherInstancesCommitThatIsNotDeliveredYetWaitsForTheSubscription() {
		received(true, 1);
		// Another instance committed 2; this one read it and committed 3 before the
		// subscription brought 2.
		this.sequence.committed("g", 2, state(3));
		assertThat(this.delivered).containsExactly(1L);
		received(false, 2);
		received(true, 3);
		assertThat(this.delivered).containsExactly(1L, 2L, 3L);
		this.sequence.committed("g", 3, state(4));
		assertThat(this.delivered).as("in order again: the shortcut is back").containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void aShortcutWhoseMessageWasLostHidesNoLaterFrame() {
		received(true, 1);
		this.sequence.committed("g", 1, state(2));
		// The message of 2 never comes back (the subscriber reconnected meanwhile).
		received(true, 3);
		received(true, 4);
		assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void aGroupCreatedAnewIsDeliveredFromItsFirstVersionOn() {
		received(true, 1);
		this.sequence.committed("g", 1, state(2));
		received(true, 2);
		// Expired and created again by another instance.
		received(false, 1);
		this.sequence.committed("g", 1, state(2));
		received(true, 2);
		assertThat(this.delivered).containsExactly(1L, 2L, 1L, 2L);
	}

	@Test
	void aFrameReceivedAtOnceReachesTheIdleConnectionsAndLeavesNothingForTheReceiver() {
		assertThat(atOnce(false, 1)).isNull();
		this.sequence.committed("g", 1, state(2));
		assertThat(atOnce(true, 2)).as("the returning shortcut").isNull();
		assertThat(this.delivered).containsExactly(1L, 2L);
	}

	@Test
	void aFrameReceivedAtOnceThatABusyConnectionWaitsForHoldsBackTheShortcutUntilTheReceiverSentIt() {
		this.busy = List.of(this.slow);
		Runnable rest = atOnce(false, 1);
		assertThat(rest).isNotNull();
		this.busy = List.of();
		this.sequence.committed("g", 1, state(2));
		assertThat(this.delivered).as("the shortcut may not overtake").containsExactly(1L);
		rest.run();
		received(true, 2);
		assertThat(this.delivered).as("negative: sent to the busy connection").containsExactly(1L, -1L, 2L);
	}

	@Test
	void aFrameOfALargeGroupIsLeftWholeToTheReceiver() {
		this.busy = null;
		Runnable rest = atOnce(false, 1);
		assertThat(this.delivered).isEmpty();
		rest.run();
		assertThat(this.delivered).containsExactly(1L);
	}

	@Test
	void aFrameReceivedAtOnceWhileACommitDeliversIsLeftToTheReceiverWithoutWaiting() throws Exception {
		received(true, 1);
		CountDownLatch delivering = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		willAnswer((invocation) -> {
			this.delivered.add(invocation.<Frame>getArgument(1).getStateVersion());
			delivering.countDown();
			release.await(10, TimeUnit.SECONDS);
			return 1;
		}).given(this.local).deliver(any(), any());
		CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> this.sequence.committed("g", 1, state(2)));
		assertThat(delivering.await(10, TimeUnit.SECONDS)).isTrue();
		Runnable rest = atOnce(false, 3);
		assertThat(rest).as("returned while the commit held the group").isNotNull();
		release.countDown();
		commit.get(10, TimeUnit.SECONDS);
		rest.run();
		assertThat(this.delivered).containsExactly(1L, 2L, 3L);
	}

	@Test
	void framesThatAreNotTheStateOfOneGroupAreLeftToTheCaller() {
		assertThat(this.sequence.received(BroadcastTarget.all(), false, state(1))).isFalse();
		assertThat(this.sequence.received(BroadcastTarget.groups("g", "h"), false, state(1))).isFalse();
		assertThat(this.sequence.received(BroadcastTarget.groups("g"), false, Frame.text("{}"))).isFalse();
		assertThat(this.delivered).isEmpty();
	}

	private Runnable atOnce(boolean own, long version) {
		return this.sequence.receivedAtOnce(BroadcastTarget.groups("g"), own, state(version));
	}

	private boolean received(boolean own, long version) {
		return this.sequence.received(BroadcastTarget.groups("g"), own, state(version));
	}

	private static Frame state(long version) {
		return Frame.state("{\"type\":\"state\",\"version\":" + version + "}", version);
	}

}
