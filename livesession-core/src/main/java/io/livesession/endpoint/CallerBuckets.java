package io.livesession.endpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;

/**
 * The token buckets of callers without a connection (HTTP actions), by user, or by group
 * when anonymous, since each request is a new caller. Bounded: past {@link #MAX_SIZE}
 * callers, buckets that have refilled completely, which hold no information, are dropped.
 *
 * @author livesession
 */
final class CallerBuckets {

	static final int MAX_SIZE = 10_000;

	private final @Nullable RateLimit rateLimit;

	private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

	CallerBuckets(@Nullable RateLimit rateLimit) {
		this.rateLimit = rateLimit;
	}

	TokenBucket.Verdict take(LiveConnection caller) {
		RateLimit limit = this.rateLimit;
		if (limit == null) {
			return TokenBucket.Verdict.ACCEPTED;
		}
		if (this.buckets.size() >= MAX_SIZE) {
			this.buckets.values().removeIf(TokenBucket::isFull);
		}
		String key = (caller.getUserId() != null) ? "user:" + caller.getUserId() : "group:" + caller.getGroupId();
		return this.buckets.computeIfAbsent(key, (k) -> limit.newBucket()).take();
	}

	int size() {
		return this.buckets.size();
	}

}
