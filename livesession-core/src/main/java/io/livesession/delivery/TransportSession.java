package io.livesession.delivery;

import java.io.IOException;

import io.livesession.Frame;

/**
 * The transport side of a connection (a WebSocket session), as delivery sees it. Calls to
 * {@link #send(Frame)} for one session never overlap.
 *
 * @author livesession
 */
public interface TransportSession {

	/**
	 * Write a frame, blocking until the transport accepted it.
	 * @param frame the frame
	 * @throws IOException when the write failed
	 */
	void send(Frame frame) throws IOException;

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

}
