package io.livesession.endpoint;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.springframework.util.Assert;

/**
 * The limit on the frames one user (or anonymous browser) may send, over all of its
 * connections and across reconnects: a token bucket of {@code burst} tokens, refilled at
 * {@code framesPerSecond}; every inbound text frame takes one. A frame that finds the
 * bucket empty is answered with {@code rate_limited} and not processed. A connection that
 * has {@code maxRejections} frames refused within {@code rejectionWindow} is closed with
 * {@link io.livesession.delivery.CloseCode#RATE_LIMITED 1008 rate_limited}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RateLimit {

	private final double framesPerSecond;

	private final int burst;

	private final int maxRejections;

	private final Duration rejectionWindow;

	/**
	 * Create a limit.
	 * @param framesPerSecond the sustained rate, above zero
	 * @param burst the bucket size: how many frames may arrive at once, at least 1
	 * @param maxRejections refused frames within the window that close the connection, or
	 * 0 never to close it
	 * @param rejectionWindow the window the refused frames are counted in
	 */
	public RateLimit(double framesPerSecond, int burst, int maxRejections, Duration rejectionWindow) {
		Assert.isTrue(framesPerSecond > 0, "'framesPerSecond' must be positive");
		Assert.isTrue(burst >= 1, "'burst' must be at least 1");
		Assert.isTrue(maxRejections >= 0, "'maxRejections' must not be negative");
		Assert.isTrue(!rejectionWindow.isNegative() && !rejectionWindow.isZero(), "'rejectionWindow' must be positive");
		this.framesPerSecond = framesPerSecond;
		this.burst = burst;
		this.maxRejections = maxRejections;
		this.rejectionWindow = rejectionWindow;
	}

	TokenBucket newBucket() {
		return newBucket(System::nanoTime);
	}

	TokenBucket newBucket(LongSupplier nanoClock) {
		return new TokenBucket(this.framesPerSecond, this.burst, this.maxRejections, this.rejectionWindow.toNanos(),
				nanoClock);
	}

	@Override
	public String toString() {
		return this.framesPerSecond + "/s, burst " + this.burst + ((this.maxRejections > 0)
				? ", closed after " + this.maxRejections + " refused in " + this.rejectionWindow : "");
	}

}
