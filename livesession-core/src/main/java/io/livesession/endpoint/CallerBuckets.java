package io.livesession.endpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;

/**
 * The token buckets of every caller, by user, or by group (one anonymous browser) when
 * anonymous: shared by the user's connections and HTTP actions and kept across
 * reconnects, so that neither opening more sockets nor reconnecting buys more frames.
 * Bounded: past {@link #MAX_SIZE} callers, idle buckets (full, and without a recent
 * refusal), which hold no information a new bucket would not, are dropped; a bucket in
 * use is never dropped, whether or not its connections are still open.
 *
 * @author livesession
 */
final class CallerBuckets {

	static final int MAX_SIZE = 10_000;

	private final @Nullable RateLimit rateLimit;

	private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

	/** The size that triggers the next sweep: doubled past a sweep that freed little. */
	private volatile int sweepAt = MAX_SIZE;

	CallerBuckets(@Nullable RateLimit rateLimit) {
		this.rateLimit = rateLimit;
	}

	TokenBucket.Verdict take(LiveConnection caller) {
		RateLimit limit = this.rateLimit;
		if (limit == null) {
			return TokenBucket.Verdict.ACCEPTED;
		}
		if (this.buckets.size() >= this.sweepAt) {
			sweep();
		}
		return this.buckets.computeIfAbsent(key(caller), (k) -> limit.newBucket()).take();
	}

	/**
	 * The caller's bucket, created when missing, or {@code null} without a rate limit.
	 */
	@Nullable TokenBucket find(LiveConnection caller) {
		RateLimit limit = this.rateLimit;
		return (limit != null) ? this.buckets.computeIfAbsent(key(caller), (k) -> limit.newBucket()) : null;
	}

	private synchronized void sweep() {
		if (this.buckets.size() < this.sweepAt) {
			return;
		}
		this.buckets.values().removeIf(TokenBucket::isIdle);
		// Amortized: with many busy callers, a sweep per frame would cost O(n) each.
		this.sweepAt = Math.max(MAX_SIZE, this.buckets.size() * 2);
	}

	static String key(LiveConnection caller) {
		return (caller.getUserId() != null) ? "user:" + caller.getUserId() : "group:" + caller.getGroupId();
	}

	int size() {
		return this.buckets.size();
	}

}
