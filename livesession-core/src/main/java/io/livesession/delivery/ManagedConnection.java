package io.livesession.delivery;

import io.livesession.Frame;
import io.livesession.LiveConnection;

/**
 * A {@link LiveConnection} as the endpoint drives it. Frames queued before
 * {@link #open(Frame, long)} wait behind the greeting, except group {@code state} frames,
 * which the greeting already contains.
 *
 * @author livesession
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
	 * The transport is gone: drop queued frames and refuse new ones.
	 */
	void released();

	/**
	 * Bytes currently queued.
	 * @return the byte count (an upper bound)
	 */
	long getQueuedBytes();

}
