package io.livesession.endpoint;

import java.util.function.LongSupplier;

/**
 * One caller's token bucket (a user, or an anonymous browser), with the record of its
 * refused frames. Written here because no rate limiter library is on livesession's
 * classpath (Bucket4j, Guava and Resilience4j are not dependencies), and one bucket per
 * connection takes a few lines.
 *
 * @author livesession
 */
final class TokenBucket {

	private final double capacity;

	private final double tokensPerNano;

	private final int maxRejections;

	private final long rejectionWindowNanos;

	private final LongSupplier nanoClock;

	private double tokens;

	private long refilledAt;

	/** Times of the last refused frames, a ring; allocated on the first refusal. */
	private long[] rejections = new long[0];

	private int nextRejection;

	private int rejectionCount;

	TokenBucket(double tokensPerSecond, int capacity, int maxRejections, long rejectionWindowNanos,
			LongSupplier nanoClock) {
		this.capacity = capacity;
		this.tokensPerNano = tokensPerSecond / 1_000_000_000d;
		this.maxRejections = maxRejections;
		this.rejectionWindowNanos = rejectionWindowNanos;
		this.nanoClock = nanoClock;
		this.tokens = capacity;
		this.refilledAt = nanoClock.getAsLong();
	}

	/**
	 * Take a token for one frame.
	 * @return whether the frame is accepted, refused, or refused and the connection is to
	 * be closed
	 */
	synchronized Verdict take() {
		long now = this.nanoClock.getAsLong();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.tokensPerNano);
		this.refilledAt = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return Verdict.ACCEPTED;
		}
		return reject(now);
	}

	/**
	 * Charge a frame already accepted (its one token taken) whose cost shows only once it
	 * has been handled, a {@code sync} by the bytes it returns: one token per started
	 * {@code bytesPerToken}, its own included, and at most the capacity, so that the
	 * largest state can still be synced. Takes the extra tokens only if the bucket holds
	 * them all.
	 * @param bytes the bytes the frame returns
	 * @param bytesPerToken the bytes one token pays for, 0 for no extra charge
	 * @return whether the frame is paid for
	 */
	synchronized boolean takeForBytes(long bytes, long bytesPerToken) {
		if (bytesPerToken <= 0) {
			return true;
		}
		double more = Math.min(this.capacity, Math.ceil((double) bytes / bytesPerToken)) - 1;
		if (more <= 0) {
			return true;
		}
		long now = this.nanoClock.getAsLong();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.tokensPerNano);
		this.refilledAt = now;
		if (this.tokens < more) {
			return false;
		}
		this.tokens -= more;
		return true;
	}

	/**
	 * Whether the bucket has refilled completely, so that a new bucket would be the same.
	 * @return {@code true} when full
	 */
	synchronized boolean isFull() {
		long now = this.nanoClock.getAsLong();
		return this.tokens + (now - this.refilledAt) * this.tokensPerNano >= this.capacity;
	}

	/**
	 * Whether the bucket holds no information a new one would not: full, and without a
	 * refused frame within the rejection window.
	 * @return {@code true} when it can be dropped
	 */
	synchronized boolean isIdle() {
		if (!isFull()) {
			return false;
		}
		if (this.rejectionCount == 0) {
			return true;
		}
		int newest = (this.nextRejection + this.maxRejections - 1) % this.maxRejections;
		return this.nanoClock.getAsLong() - this.rejections[newest] > this.rejectionWindowNanos;
	}

	private Verdict reject(long now) {
		if (this.maxRejections == 0) {
			return Verdict.REFUSED;
		}
		if (this.rejections.length == 0) {
			this.rejections = new long[this.maxRejections];
		}
		this.rejections[this.nextRejection] = now;
		this.nextRejection = (this.nextRejection + 1) % this.maxRejections;
		this.rejectionCount = Math.min(this.maxRejections, this.rejectionCount + 1);
		// With the ring full, the next slot holds the oldest of the last maxRejections.
		boolean abusive = this.rejectionCount == this.maxRejections
				&& now - this.rejections[this.nextRejection] <= this.rejectionWindowNanos;
		return abusive ? Verdict.ABUSIVE : Verdict.REFUSED;
	}

	enum Verdict {

		/** Within the limit. */
		ACCEPTED,

		/** Over the limit: answer {@code rate_limited}. */
		REFUSED,

		/** Over the limit too often: close the connection. */
		ABUSIVE

	}

}
