package io.livesession.delivery;

/**
 * How far the close of a {@link QueuedConnection} has come: started (no new frames are
 * accepted), with which code and reason, and finished (the transport close was issued, or
 * the transport is gone: nothing more is sent). Guarded by the connection's monitor;
 * {@link #isStarted()} may be read without it.
 *
 * @author livesession
 */
final class CloseState {

	private volatile boolean started;

	private boolean finished;

	private int code;

	private String reason = "";

	boolean isStarted() {
		return this.started;
	}

	boolean isFinished() {
		return this.finished;
	}

	/**
	 * Start closing with a code and reason, unless closing started already, whose code
	 * and reason are kept: an orderly close that runs out of time closes as it meant to.
	 * @param code the close code
	 * @param reason the close reason
	 * @return whether closing started now
	 */
	boolean start(int code, String reason) {
		if (this.started) {
			return false;
		}
		this.started = true;
		this.code = code;
		this.reason = reason;
		return true;
	}

	/** Closing started without a close of its own (the transport is gone). */
	void started() {
		this.started = true;
	}

	void finish() {
		this.finished = true;
	}

	int code() {
		return this.code;
	}

	String reason() {
		return this.reason;
	}

}
