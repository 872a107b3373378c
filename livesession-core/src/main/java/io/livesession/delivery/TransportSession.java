package io.livesession.delivery;

import java.io.IOException;

import io.livesession.Frame;
import org.jspecify.annotations.Nullable;

/**
 * The transport side of a connection (a WebSocket session), as delivery sees it. Writes
 * for one session never overlap: the next {@link #send(Frame, SendCallback)} starts only
 * after the previous one's callback ran.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface TransportSession {

	/**
	 * Start writing a frame without waiting for the network. The callback is called
	 * exactly once, when the frame was written or the write failed: on this thread before
	 * returning when the write completes at once, on a container thread otherwise. Must
	 * not throw; failures go to the callback.
	 * <p>
	 * The default delegates to the blocking {@link #send(Frame)}, for transports whose
	 * writes always complete at once.
	 * @param frame the frame
	 * @param callback told when the write completed
	 */
	default void send(Frame frame, SendCallback callback) {
		try {
			send(frame);
		}
		catch (IOException | RuntimeException ex) {
			callback.completed(ex);
			return;
		}
		callback.completed(null);
	}

	/**
	 * Write a frame, blocking until the transport accepted it. Only for transports whose
	 * writes complete at once; a network transport implements
	 * {@link #send(Frame, SendCallback)} instead, so that no thread waits on a peer.
	 * @param frame the frame
	 * @throws IOException when the write failed
	 */
	default void send(Frame frame) throws IOException {
		throw new UnsupportedOperationException("Implement send(Frame, SendCallback)");
	}

	/**
	 * Send a WebSocket ping. Called only while no write is in progress; may block briefly
	 * (the Jakarta WebSocket API has no asynchronous ping), so a transport bounds it. The
	 * default sends nothing.
	 * @return whether a ping was sent
	 */
	default boolean ping() {
		return false;
	}

	/**
	 * Close the transport; failures are ignored.
	 * @param code the close code
	 * @param reason the reason
	 */
	void close(int code, String reason);

	/**
	 * The transport is about to be closed: make the close frame give up quickly on a peer
	 * that does not read, rather than wait for the container's full write timeout. Called
	 * on the closing thread's behalf, before {@link #close}; the default does nothing.
	 */
	default void expediteClose() {
	}

	/**
	 * Whether the transport is open.
	 * @return {@code true} when open
	 */
	boolean isOpen();

	/**
	 * Told when a write has completed.
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	interface SendCallback {

		/**
		 * The write completed.
		 * @param failure why it failed, or {@code null} when the frame was written
		 */
		void completed(@Nullable Throwable failure);

	}

}
