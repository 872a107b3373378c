package io.livesession.endpoint;

import java.util.function.IntPredicate;

import io.livesession.delivery.CloseCode;
import io.livesession.event.LiveActionDeniedEvent;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.delivery.ManagedConnection;
import io.livesession.metrics.LiveMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The endpoint's rate limit: one token per inbound frame or HTTP action, taken from the
 * caller's bucket ({@link CallerBuckets}), a {@code sync} charged by the bytes it
 * returns, a denial event for each refusal, and a close for a connection that keeps
 * flooding. Without a {@link RateLimit}, everything is accepted.
 *
 * @author livesession
 */
final class RateLimiting {

	// Logged under the endpoint's name, as before the split: log settings name it.
	private static final Log logger = LogFactory.getLog(LiveEndpoint.class);

	private final @Nullable RateLimit rateLimit;

	private final CallerBuckets buckets;

	private final ApplicationEventPublisher events;

	private long syncCost = LiveEndpoint.DEFAULT_SYNC_COST;

	private LiveMetrics metrics = LiveMetrics.NONE;

	RateLimiting(@Nullable RateLimit rateLimit, ApplicationEventPublisher events) {
		this.rateLimit = rateLimit;
		this.buckets = new CallerBuckets(rateLimit);
		this.events = events;
	}

	void setSyncCost(long bytesPerFrame, LiveMetrics metrics) {
		this.syncCost = bytesPerFrame;
		this.metrics = metrics;
	}

	/**
	 * Take the token of an inbound frame; a connection found abusive is closed with 1008.
	 * @param connection the connection the frame came on
	 * @return the verdict
	 */
	TokenBucket.Verdict takeFrame(ManagedConnection connection) {
		TokenBucket.Verdict verdict = this.buckets.take(connection);
		if (verdict == TokenBucket.Verdict.ABUSIVE) {
			logger.warn("Closing connection " + connection.getId() + " of "
					+ ((connection.getUserId() != null) ? "user " + connection.getUserId() : "an anonymous browser")
					+ ": too many frames over the rate limit (" + this.rateLimit + ")");
			CloseCode.RATE_LIMITED.close(connection);
		}
		return verdict;
	}

	/**
	 * A frame was refused unprocessed: publish the denial.
	 * @param connection the connection the frame came on
	 * @param action the frame's action name, or an empty string
	 */
	void frameRefused(ManagedConnection connection, String action) {
		this.events.publishEvent(new LiveActionDeniedEvent(connection, action, LiveActionException.RATE_LIMITED));
	}

	/**
	 * Take the token of an HTTP action.
	 * @param caller the caller
	 * @param action the action name
	 * @throws LiveActionException with {@code rate_limited} when the bucket is empty
	 */
	void takeAction(LiveConnection caller, String action) {
		if (this.rateLimit != null && this.buckets.take(caller) != TokenBucket.Verdict.ACCEPTED) {
			this.events.publishEvent(new LiveActionDeniedEvent(caller, action, LiveActionException.RATE_LIMITED));
			throw new LiveActionException(LiveActionException.RATE_LIMITED, "Too many actions; slow down");
		}
	}

	/**
	 * What a {@code sync} of the caller may cost: the returned test takes one frame per
	 * {@code syncCost} bytes of the state frame from the caller's bucket, and says
	 * whether the bucket could pay.
	 * @param caller the caller
	 * @return the test of a state frame's size
	 */
	IntPredicate syncPayment(LiveConnection caller) {
		TokenBucket bucket = this.buckets.find(caller);
		return (bytes) -> bucket == null || bucket.takeForBytes(bytes, this.syncCost);
	}

	/** A {@code sync} was refused: count it. */
	void syncRefused() {
		this.metrics.refused(LiveMetrics.LIMIT_SYNC_BYTES);
	}

}
