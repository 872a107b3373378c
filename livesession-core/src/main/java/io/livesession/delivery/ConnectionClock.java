package io.livesession.delivery;

/**
 * The times a {@link QueuedConnection} is watched by: when its current write started and
 * when its orderly close must end (for the {@link SendPool}'s watchdog), and when it last
 * heard from its peer and pinged it (for the {@link Heartbeats}). Each is a
 * {@link System#nanoTime()} read without the connection's lock; a started time is made
 * odd, so that it is never 0, which means none.
 *
 * @author livesession
 */
final class ConnectionClock {

	/** What the watchdog finds. */
	enum Overdue {

		/** Nothing is late. */
		NONE,

		/** The current write has been in progress longer than the send time limit. */
		WRITE,

		/** The orderly close's grace period is over. */
		CLOSE

	}

	/** What a heartbeat round finds. */
	enum Liveness {

		/** No ping is unanswered: the peer may be pinged. */
		ANSWERED,

		/** A ping is unanswered, within the timeout. */
		WAITING,

		/** A ping stayed unanswered for the timeout: the peer is gone. */
		DEAD

	}

	private final long closeGraceNanos;

	/** When an orderly close gives up on the queue, or 0. */
	private volatile long closeDeadline;

	/** When the current write started, 0 when idle. */
	private volatile long writeStartedAt;

	private volatile long lastHeard = System.nanoTime();

	/** When the last ping was sent (the heartbeat round's time), 0 before the first. */
	private volatile long pingSentAt;

	/**
	 * Create a clock.
	 * @param closeGraceNanos the longest an orderly close waits for the queue, which may
	 * be {@link Long#MAX_VALUE} for no limit
	 */
	ConnectionClock(long closeGraceNanos) {
		this.closeGraceNanos = closeGraceNanos;
	}

	void writeStarted() {
		this.writeStartedAt = System.nanoTime() | 1;
	}

	void writeEnded() {
		this.writeStartedAt = 0;
	}

	/** Start the grace period of an orderly close. */
	void closeWithin() {
		long deadline = System.nanoTime() + Math.min(this.closeGraceNanos, Long.MAX_VALUE / 4);
		this.closeDeadline = deadline | 1;
	}

	void closeEnded() {
		this.closeDeadline = 0;
	}

	/**
	 * Whether a write or an orderly close is late.
	 * @param limitNanos the send time limit
	 * @param now the current {@link System#nanoTime()}
	 * @return what is late, the write first
	 */
	Overdue overdue(long limitNanos, long now) {
		long started = this.writeStartedAt;
		if (started != 0 && now - started > limitNanos) {
			return Overdue.WRITE;
		}
		long deadline = this.closeDeadline;
		return (deadline != 0 && now - deadline > 0) ? Overdue.CLOSE : Overdue.NONE;
	}

	void heard() {
		this.lastHeard = System.nanoTime();
	}

	void pinged(long now) {
		this.pingSentAt = now;
	}

	/**
	 * Whether the peer answered the last ping.
	 * @param now the round's {@link System#nanoTime()}
	 * @param timeoutNanos how long a ping may stay unanswered
	 * @return the peer's liveness
	 */
	Liveness liveness(long now, long timeoutNanos) {
		long pinged = this.pingSentAt;
		if (pinged != 0 && this.lastHeard - pinged < 0) {
			return (now - pinged >= timeoutNanos) ? Liveness.DEAD : Liveness.WAITING;
		}
		return Liveness.ANSWERED;
	}

}
