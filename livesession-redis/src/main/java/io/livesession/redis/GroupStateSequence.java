package io.livesession.redis;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.delivery.LocalDelivery;
import org.jspecify.annotations.Nullable;

/**
 * Delivers the {@code state} frames of groups to this instance's connections in commit
 * order, from two sources: the subscription, which brings every commit of every instance
 * in Redis's order, and this instance's own commits, whose frame the committing thread
 * delivers as soon as the commit script returned when it is the next version of the
 * group, without waiting for Redis to bring it back.
 *
 * <p>
 * Why the shortcut: with both tabs of a browser on one instance, an action's
 * {@code state} frame reached the other tab through the subscription, one more hand-over
 * between threads (the Lettuce event loop, then a receiver) after the commit's own reply.
 * On two shared cores each hand-over is a wake-up, and at the 99th percentile the
 * wake-ups, not Redis, set the round trip (docs/benchmarks.md, P5).
 *
 * <p>
 * Per group this keeps the highest version delivered and the versions the shortcut
 * delivered that the subscription has not brought back yet; the subscription skips those.
 * The subscription's order is the truth: a version lower than the last delivered one that
 * is not a returning shortcut means the group was created anew, and it is delivered. A
 * group this instance has not seen yet, or whose record was dropped (the most recent
 * {@value #GROUPS} groups are kept), gets no shortcut until the subscription delivered
 * one of its frames; a dropped record can at worst deliver a frame twice, which clients
 * ignore (protocol: a version already seen is ignored).
 *
 * @author livesession
 */
final class GroupStateSequence implements FencedRedisSessionRepository.CommitListener {

	/** How many groups' records are kept, least recently used first out. */
	static final int GROUPS = 4096;

	/**
	 * Most shortcuts of a group that may wait for the subscription to bring them back.
	 */
	static final int PENDING = 32;

	private final LocalDelivery local;

	private final Map<String, Sequence> groups = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Sequence> eldest) {
			return size() > GROUPS;
		}

	};

	GroupStateSequence(LocalDelivery local) {
		this.local = local;
	}

	/**
	 * Deliver the frame of a commit of this instance, if every earlier version of the
	 * group was delivered here; otherwise leave it to the subscription.
	 * @param groupId the group
	 * @param readVersion the version the commit was fenced on
	 * @param frame the commit's {@code state} frame
	 */
	@Override
	public void committed(String groupId, long readVersion, Frame frame) {
		Sequence sequence = find(groupId, false);
		if (sequence == null) {
			return;
		}
		long version = frame.getStateVersion();
		sequence.lock.lock();
		try {
			if (version != readVersion + 1 || sequence.delivered != readVersion || sequence.behind > 0
					|| sequence.shortcuts.size() >= PENDING) {
				return;
			}
			sequence.delivered = version;
			sequence.shortcuts.addLast(version);
			// Under the group's lock, so that the subscription's next frame of the group
			// waits for this one.
			this.local.deliver(BroadcastTarget.groups(groupId), frame);
		}
		finally {
			sequence.lock.unlock();
		}
	}

	/**
	 * Deliver a {@code state} frame of one group that the subscription brought, unless it
	 * is one of this instance's commits that the committing thread delivered already.
	 * @param target the frame's target
	 * @param own whether this instance published it
	 * @param frame the frame
	 * @return whether it was a {@code state} frame of one group, which this handled
	 */
	boolean received(BroadcastTarget target, boolean own, Frame frame) {
		if (!isGroupState(target, frame)) {
			return false;
		}
		Sequence sequence = find(groupId(target), true);
		sequence.lock.lock();
		try {
			long version = frame.getStateVersion();
			if (!isReturningShortcut(sequence, own, version)) {
				advance(sequence, version);
				this.local.deliver(target, frame);
			}
			return true;
		}
		finally {
			sequence.lock.unlock();
		}
	}

	/**
	 * Like {@link #received}, on the thread that received the frame, which must not wait:
	 * it delivers only to idle connections ({@link DeliveryArrivals}), and leaves the
	 * rest to a receiver thread, as it does the whole frame when another thread holds the
	 * group (that holder may wait for an answer from Redis that this very thread is to
	 * read).
	 * @param target the frame's target, one group
	 * @param own whether this instance published it
	 * @param frame a {@code state} frame
	 * @return what is left for a receiver thread, or {@code null}
	 */
	@Nullable Runnable receivedAtOnce(BroadcastTarget target, boolean own, Frame frame) {
		Sequence sequence = find(groupId(target), true);
		if (!sequence.lock.tryLock()) {
			return () -> received(target, own, frame);
		}
		try {
			long version = frame.getStateVersion();
			if (isReturningShortcut(sequence, own, version)) {
				return null;
			}
			List<LiveConnection> busy = this.local.deliverIfIdle(target, frame, DeliveryArrivals.AT_ONCE);
			if (busy == null) {
				return () -> received(target, own, frame);
			}
			advance(sequence, version);
			if (busy.isEmpty()) {
				return null;
			}
			// Until the busy ones have it, no shortcut may overtake it.
			sequence.behind++;
			return () -> {
				sequence.lock.lock();
				try {
					busy.forEach((connection) -> connection.send(frame));
				}
				finally {
					sequence.behind--;
					sequence.lock.unlock();
				}
			};
		}
		finally {
			sequence.lock.unlock();
		}
	}

	/**
	 * Whether a frame is a {@code state} frame of one group.
	 * @param target the frame's target
	 * @param frame the frame
	 * @return whether this sequence handles it
	 */
	static boolean isGroupState(BroadcastTarget target, Frame frame) {
		return frame.isState() && target instanceof BroadcastTarget.Groups groups && groups.groupIds().size() == 1;
	}

	private static String groupId(BroadcastTarget target) {
		return ((BroadcastTarget.Groups) target).groupIds().iterator().next();
	}

	/** Whether the frame is a shortcut of this instance coming back; consumes it. */
	private static boolean isReturningShortcut(Sequence sequence, boolean own, long version) {
		if (!own) {
			return false;
		}
		// Shortcuts below this version will not come back: their messages were lost
		// (Redis restarted, the subscriber reconnected).
		while (!sequence.shortcuts.isEmpty() && sequence.shortcuts.peekFirst() < version) {
			sequence.shortcuts.pollFirst();
		}
		Long next = sequence.shortcuts.peekFirst();
		if (next != null && next == version) {
			sequence.shortcuts.pollFirst();
			return true;
		}
		return false;
	}

	private static void advance(Sequence sequence, long version) {
		if (version < sequence.delivered) {
			// The group was created anew.
			sequence.shortcuts.clear();
		}
		sequence.delivered = version;
	}

	private @Nullable Sequence find(String groupId, boolean create) {
		synchronized (this.groups) {
			return create ? this.groups.computeIfAbsent(groupId, (id) -> new Sequence()) : this.groups.get(groupId);
		}
	}

	/** What was delivered of one group; guarded by its lock. */
	private static final class Sequence {

		private final ReentrantLock lock = new ReentrantLock();

		/**
		 * Frames delivered at once to some connections that the busy ones still wait for.
		 */
		private int behind;

		/** The highest version delivered here, -1 while unknown. */
		private long delivered = -1;

		/** Versions the shortcut delivered, oldest first, until they come back. */
		private final ArrayDeque<Long> shortcuts = new ArrayDeque<>();

	}

}
