package io.livesession.delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PauseDetector}.
 */
class PauseDetectorTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private static final long PERIOD = Duration.ofMillis(100).toNanos();

	@Test
	void aRunMoreThanOneSecondLateCountsAsAfterAPause() {
		long due = System.nanoTime();
		assertThat(PauseDetector.isLate(due, due + SECOND + 1)).isTrue();
		assertThat(PauseDetector.isLate(due, due + 16 * SECOND)).isTrue();
	}

	@Test
	void aRunOnTimeEarlyOrAtMostOneSecondLateDoesNotCountAsAfterAPause() {
		long due = System.nanoTime();
		assertThat(PauseDetector.isLate(due, due)).isFalse();
		assertThat(PauseDetector.isLate(due, due - SECOND)).isFalse();
		assertThat(PauseDetector.isLate(due, due + SECOND)).isFalse();
	}

	@Test
	void lateRunsAreToldAcrossTheWrapAroundOfNanoTime() {
		long due = Long.MAX_VALUE - SECOND / 2;
		assertThat(PauseDetector.isLate(due, due + SECOND / 2 + 1)).isFalse();
		assertThat(PauseDetector.isLate(due, due + 2 * SECOND)).isTrue();
	}

	@Test
	void aPeriodicRunMoreThanOneSecondAfterItsPeriodCountsAsAfterAPause() {
		long start = System.nanoTime();
		PauseDetector pauses = new PauseDetector(PERIOD, start);
		assertThat(pauses.runIsLate(start + PERIOD + SECOND + 1)).isTrue();
	}

	@Test
	void periodicRunsOnTimeOrAtMostOneSecondLateDoNotCountAsAfterAPause() {
		long start = System.nanoTime();
		PauseDetector pauses = new PauseDetector(PERIOD, start);
		long run = start + PERIOD;
		assertThat(pauses.runIsLate(run)).isFalse();
		run += PERIOD + SECOND;
		assertThat(pauses.runIsLate(run)).isFalse();
		run += PERIOD / 2;
		assertThat(pauses.runIsLate(run)).isFalse();
	}

	@Test
	void theRunAfterALateRunIsJudgedFromTheLateRun() {
		long start = System.nanoTime();
		PauseDetector pauses = new PauseDetector(PERIOD, start);
		long resumed = start + 16 * SECOND;
		assertThat(pauses.runIsLate(resumed)).isTrue();
		assertThat(pauses.runIsLate(resumed + PERIOD)).isFalse();
		assertThat(pauses.runIsLate(resumed + 2 * PERIOD + SECOND + 1)).isTrue();
	}

}
