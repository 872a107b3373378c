package io.livesession.delivery;

import java.util.ArrayDeque;

import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import org.jspecify.annotations.Nullable;

/**
 * The frames queued for one connection, with group state coalesced: a connection that
 * lags gets the latest full state rather than every intermediate change. Not thread-safe:
 * guarded by its connection.
 *
 * @author livesession
 * @since 0.1.0
 */
final class OutboundQueue {

	/** The frame was queued. */
	static final int QUEUED = 0;

	/** The state frame was merged into the queued state. */
	static final int COALESCED = 1;

	/** The state frame was dropped. */
	static final int STALE = 2;

	/**
	 * Nothing was done: the state frame must be coalesced, offer it with its full state.
	 */
	static final int NEEDS_FULL_STATE = 3;

	private final LiveMetrics metrics;

	/** Frames and {@link StateSlot}s. */
	private final ArrayDeque<Object> entries = new ArrayDeque<>();

	/** The queued, unsent state slot that later state frames coalesce into. */
	private @Nullable StateSlot pendingState;

	/** The newest group version queued for the client. */
	private long stateVersion = -1;

	private long bytes;

	OutboundQueue(LiveMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * Queue a frame, or coalesce or drop a state frame.
	 * @param frame the frame
	 * @param ready whether the greeting was queued (before it, state frames are dropped:
	 * the greeting carries that state)
	 * @param full the full state of a state frame, once {@link #NEEDS_FULL_STATE} asked
	 * for it, else {@code null}
	 * @return {@link #QUEUED}, {@link #COALESCED}, {@link #STALE} or
	 * {@link #NEEDS_FULL_STATE}
	 */
	int offer(Frame frame, boolean ready, @Nullable Frame full) {
		if (frame.isState()) {
			if (!ready) {
				this.metrics.framesDropped(LiveMetrics.STALE, 1);
				return STALE;
			}
			if (!frame.isFullState() && frame.getStateVersion() <= this.stateVersion) {
				// Already covered by the greeting or an earlier frame: frames from other
				// instances can arrive after a greeting that includes them.
				this.metrics.framesDropped(LiveMetrics.STALE, 1);
				return STALE;
			}
			if (this.pendingState != null && full == null && !frame.isFullState()) {
				// Read by the caller, off its connection's monitor: it may come from
				// Redis.
				return NEEDS_FULL_STATE;
			}
			this.stateVersion = frame.getStateVersion();
			if (this.pendingState != null) {
				// Lagging: the unsent state becomes the latest full state.
				this.pendingState.coalesce((full != null) ? full : frame);
				this.metrics.framesDropped(LiveMetrics.COALESCED, 1);
				return COALESCED;
			}
			this.pendingState = new StateSlot(frame);
			this.entries.add(this.pendingState);
		}
		else {
			this.entries.add(frame);
		}
		this.bytes += frame.getSize();
		return QUEUED;
	}

	/**
	 * Queue the greeting ahead of everything.
	 * @param greeting the greeting
	 * @param version the group version it carries
	 */
	void greet(Frame greeting, long version) {
		this.stateVersion = version;
		this.entries.addFirst(greeting);
		this.bytes += greeting.getSize();
	}

	/**
	 * Take the next frame.
	 * @return the frame, or {@code null} when empty
	 */
	@Nullable Frame poll() {
		Object entry = this.entries.poll();
		if (entry == null) {
			return null;
		}
		Frame frame;
		if (entry instanceof StateSlot slot) {
			frame = slot.frame;
			if (this.pendingState == slot) {
				this.pendingState = null;
			}
		}
		else {
			frame = (Frame) entry;
		}
		this.bytes -= frame.getSize();
		return frame;
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	long getBytes() {
		return this.bytes;
	}

	/**
	 * Drop everything.
	 * @return the number of frames dropped
	 */
	int clear() {
		int dropped = this.entries.size();
		this.entries.clear();
		this.pendingState = null;
		this.bytes = 0;
		return dropped;
	}

	/**
	 * A queue position for group state; later state frames replace its content.
	 */
	private final class StateSlot {

		private Frame frame;

		StateSlot(Frame frame) {
			this.frame = frame;
		}

		void coalesce(Frame next) {
			if (next.getStateVersion() >= this.frame.getStateVersion()) {
				Frame full = next.toFullState();
				OutboundQueue.this.bytes += full.getSize() - this.frame.getSize();
				OutboundQueue.this.stateVersion = Math.max(OutboundQueue.this.stateVersion, full.getStateVersion());
				this.frame = full;
			}
		}

	}

}
