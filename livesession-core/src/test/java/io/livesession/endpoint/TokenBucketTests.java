package io.livesession.endpoint;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.livesession.endpoint.TokenBucket.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenBucket} on a clock the test moves.
 */
class TokenBucketTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private TokenBucket bucket(double perSecond, int burst, int maxRejections, Duration window) {
		return new RateLimit(perSecond, burst, maxRejections, window).newBucket(this.now::get);
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	@Test
	void aFullBucketAcceptsTheBurstThenRefuses() {
		TokenBucket bucket = bucket(10, 5, 0, Duration.ofSeconds(1));
		for (int i = 0; i < 5; i++) {
			assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		}
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
	}

	@Test
	void tokensComeBackAtTheRate() {
		TokenBucket bucket = bucket(10, 5, 0, Duration.ofSeconds(1));
		for (int i = 0; i < 5; i++) {
			bucket.take();
		}
		advance(Duration.ofMillis(99));
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
		advance(Duration.ofMillis(1));
		assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
		advance(Duration.ofMillis(300));
		assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
	}

	@Test
	void theBucketNeverHoldsMoreThanTheBurst() {
		TokenBucket bucket = bucket(10, 3, 0, Duration.ofSeconds(1));
		advance(Duration.ofHours(1));
		for (int i = 0; i < 3; i++) {
			assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		}
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
	}

	@Test
	void aSenderBelowTheRateIsNeverRefused() {
		TokenBucket bucket = bucket(20, 1, 1, Duration.ofMinutes(1));
		for (int i = 0; i < 1000; i++) {
			assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
			advance(Duration.ofMillis(51));
		}
	}

	@Test
	void theMaxRejectionsWithinTheWindowMakeTheConnectionAbusive() {
		TokenBucket bucket = bucket(0.001, 1, 3, Duration.ofSeconds(10));
		assertThat(bucket.take()).isEqualTo(Verdict.ACCEPTED);
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
		advance(Duration.ofSeconds(5));
		assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
		advance(Duration.ofSeconds(5));
		assertThat(bucket.take()).isEqualTo(Verdict.ABUSIVE);
	}

	@Test
	void rejectionsSpreadBeyondTheWindowAreNotAbuse() {
		TokenBucket bucket = bucket(0.001, 1, 3, Duration.ofSeconds(10));
		bucket.take();
		for (int i = 0; i < 50; i++) {
			assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
			advance(Duration.ofMillis(5001));
		}
	}

	@Test
	void withoutMaxRejectionsAConnectionIsNeverAbusive() {
		TokenBucket bucket = bucket(0.001, 1, 0, Duration.ofSeconds(10));
		bucket.take();
		for (int i = 0; i < 10_000; i++) {
			assertThat(bucket.take()).isEqualTo(Verdict.REFUSED);
		}
	}

}
