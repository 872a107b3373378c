package io.livesession.topic;

import java.util.ArrayList;
import java.util.List;

import io.livesession.Frame;
import io.livesession.LiveConnection;

/**
 * The live publications of one topic held back for one connection while it recovers the
 * topic: queued after the replay, once and in order. After the release it keeps the
 * offset of the last publication the connection has, to drop a publication that was
 * replayed and arrives live too, until a later one arrives.
 *
 * @author livesession
 */
final class HoldBack {

	/** Guarded by {@code this}. */
	private final List<Frame> held = new ArrayList<>();

	private boolean released;

	private long lastOffset = -1;

	/**
	 * Take a live publication.
	 * @return {@code true} if it was held back or dropped, {@code false} if the caller
	 * queues it: the hold-back is over
	 */
	synchronized boolean take(Frame frame) {
		if (!this.released) {
			this.held.add(frame);
			return true;
		}
		return frame.getTopicOffset() >= 0 && frame.getTopicOffset() <= this.lastOffset;
	}

	/**
	 * Whether a publication proves that no older one can arrive any more, so this
	 * hold-back may go: publications of a topic arrive in offset order.
	 */
	synchronized boolean isDone(Frame frame) {
		return this.released && frame.getTopicOffset() > this.lastOffset;
	}

	/** Queue what was held back after the last offset the connection has. */
	synchronized void release(LiveConnection connection, long lastOffset) {
		long last = lastOffset;
		for (Frame frame : this.held) {
			long offset = frame.getTopicOffset();
			if (offset < 0 || offset > last) {
				connection.send(frame);
				last = Math.max(last, offset);
			}
		}
		this.held.clear();
		this.lastOffset = last;
		this.released = true;
	}

}
