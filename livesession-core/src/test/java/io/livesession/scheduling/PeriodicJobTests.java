package io.livesession.scheduling;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PeriodicJob}: once {@link PeriodicJob#stop()} returns, nothing of the
 * job runs any more.
 */
class PeriodicJobTests {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	PeriodicJobTests() {
		this.scheduler.initialize();
	}

	@AfterEach
	void shutdown() {
		this.scheduler.shutdown();
	}

	@Test
	void stopWaitsForTheRunInProgressAndNoRunFollows() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		PeriodicJob job = new PeriodicJob("test", LogFactory.getLog(getClass()), this.scheduler,
				Duration.ofMillis(10)) {

			@Override
			protected void runScheduled() {
				runs.incrementAndGet();
				running.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};
		job.start();
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(job::stop);
		Thread.sleep(200);
		assertThat(stopped).as("stop waits while a run is in progress").isNotDone();
		assertThat(job.isRunning()).isFalse();
		release.countDown();
		stopped.get(10, TimeUnit.SECONDS);
		int afterStop = runs.get();
		Thread.sleep(100);
		assertThat(runs.get()).as("no run after stop returned").isEqualTo(afterStop).isEqualTo(1);
	}

	@Test
	void stopOfAJobThatIsNotRunningReturnsAtOnce() {
		PeriodicJob job = new PeriodicJob("test", LogFactory.getLog(getClass()), this.scheduler,
				Duration.ofSeconds(1)) {

			@Override
			protected void runScheduled() {
			}

		};
		job.start();
		job.stop();
		job.stop();
		assertThat(job.isRunning()).isFalse();
	}

}
