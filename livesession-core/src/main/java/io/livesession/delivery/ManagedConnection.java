package io.livesession.delivery;

import io.livesession.Frame;
import io.livesession.LiveConnection;

/**
 * A {@link LiveConnection} as the endpoint drives it. Frames queued before
 * {@link #open(Frame, long)} wait behind the greeting, except group {@code state} frames,
 * which the greeting already contains.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface ManagedConnection extends LiveConnection {

	/**
	 * Start delivery with the given first frame.
	 * @param greeting the first frame (the protocol's {@code hello})
	 * @param stateVersion the group version the greeting carries; later state frames at
	 * or below it are stale and dropped
	 */
	void open(Frame greeting, long stateVersion);

	/**
	 * Whether the connection is closing or closed: from the moment the server decided to
	 * close it (a revocation, the rate limit, an eviction, a shutdown) or the transport
	 * went away. The endpoint processes no inbound frame of such a connection, since a
	 * client can keep sending after the server's close frame.
	 * @return {@code true} once closing
	 * @since 0.1.0
	 */
	default boolean isClosing() {
		return !isOpen();
	}

	/**
	 * Send a frame only if the connection is idle (open, greeted, nothing queued or being
	 * written): then it is written at once on this thread, and no step can wait, since an
	 * empty queue has no {@code state} frame to coalesce with. Otherwise nothing is done.
	 * @param frame the frame
	 * @return whether the connection took the frame; {@code false} means
	 * {@link #send(Frame)} must deliver it
	 * @since 0.1.0
	 */
	default boolean sendIfIdle(Frame frame) {
		return false;
	}

	/**
	 * The transport is gone: drop queued frames and refuse new ones.
	 */
	void released();

	/**
	 * Bytes currently queued.
	 * @return the byte count (an upper bound)
	 */
	long getQueuedBytes();

	/**
	 * The peer was heard from (any inbound frame or a pong): it answers heartbeats.
	 * @since 0.1.0
	 */
	default void heard() {
	}

	/**
	 * One heartbeat round: close the connection at once when the peer has answered
	 * nothing since a ping sent at least {@code timeoutNanos} ago, otherwise ping it
	 * unless a ping is still unanswered or a write is in progress (which the send time
	 * limit watches instead).
	 * @param now the round's {@link System#nanoTime()}
	 * @param timeoutNanos how long a ping may stay unanswered
	 * @param ping whether to send a ping in this round, or only check
	 * @since 0.1.0
	 */
	default void heartbeat(long now, long timeoutNanos, boolean ping) {
	}

}
