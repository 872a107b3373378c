package io.livesession.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;

import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SendPool}'s send time limit, with connections created through
 * {@link Delivery#connection(ConnectionInfo, TransportSession, SendPool, long, LiveMetrics, java.util.function.Consumer)}.
 */
class SendPoolTests {

	private static final Frame GREETING = Frame.text("{\"type\":\"hello\"}");

	private final List<ManagedConnection> evicted = new CopyOnWriteArrayList<>();

	private final List<String> evictions = new CopyOnWriteArrayList<>();

	private final LiveMetrics metrics = new LiveMetrics() {

		@Override
		public void evicted(String reason) {
			SendPoolTests.this.evictions.add(reason);
		}

	};

	private SendPool pool = new SendPool(1, Duration.ofMillis(300));

	@AfterEach
	void close() {
		this.pool.close();
	}

	@Test
	void aWriteInProgressLongerThanTheSendTimeLimitEvictsTheConnectionWith4008WithoutHoldingAThread() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		// The write was started on the caller's thread, which returned at once.
		assertThat(transport.sendingThreads).containsExactly(Thread.currentThread());
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(4008));
		assertThat(transport.closeCodes).containsExactly(4008);
		assertThat(transport.closeReasons).containsExactly("send time limit exceeded");
		assertThat(this.evicted).containsExactly(connection);
		assertThat(this.evictions).containsExactly(LiveMetrics.SEND_TIME_LIMIT);
		assertThat(transport.expedited).isTrue();
		// The close ran on a closing thread, not on the watchdog or the caller's.
		assertThat(transport.closingThreads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("livesession-close-"));
		assertThat(transport.frames).isEmpty();
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.isClosing()).isTrue();
		assertThat(connection.send(Frame.text("late"))).isFalse();
		assertThat(this.pool.getWatchedCount()).isZero();
		// A late completion of the stuck write changes nothing.
		transport.release();
		assertThat(transport.closeCodes).containsExactly(4008);
	}

	@Test
	void aWatchdogRunAfterAPauseOfTheProcessIsSkippedAndTheNextRunOnTimeJudgesTheWrites() throws Exception {
		ThreadPoolTaskScheduler scheduler = manualScheduler();
		try {
			this.pool.close();
			this.pool = new SendPool(1, Duration.ofMillis(300), SendPool.DEFAULT_CLOSE_GRACE_PERIOD, scheduler);
			RecordingTransport transport = new RecordingTransport().blocking();
			ManagedConnection connection = connection(transport, 1024 * 1024);
			connection.open(GREETING, 0);
			transport.awaitSending();
			// The process was frozen for 5 s: the write in progress looks overdue.
			long resumed = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			this.pool.check(resumed);
			assertThat(this.evicted).isEmpty();
			assertThat(transport.closeCodes).isEmpty();
			assertThat(connection.isOpen()).isTrue();
			// The next run, a period (30 ms) later, is on time and judges the write.
			this.pool.check(resumed + Duration.ofMillis(30).toNanos());
			assertThat(this.evicted).containsExactly(connection);
			assertThat(this.evictions).containsExactly(LiveMetrics.SEND_TIME_LIMIT);
			await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(4008));
			transport.release();
		}
		finally {
			scheduler.shutdown();
		}
	}

	@Test
	void aWriteThatCompletesWithinTheSendTimeLimitIsNotEvicted() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		connection.send(Frame.text("next"));
		transport.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.frames.size() == 2);
		assertThat(transport.closeCodes).isEmpty();
		assertThat(this.evicted).isEmpty();
		assertThat(connection.isOpen()).isTrue();
		assertThat(this.pool.getWatchedCount()).isOne();
		connection.close(1000, "");
		assertThat(this.pool.getWatchedCount()).isZero();
	}

	@Test
	void exceedingTheSendBufferLimitEvictsWithoutTheSenderWaitingForTheWriteInProgress() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 100);
		connection.open(GREETING, 0);
		transport.awaitSending();
		assertThat(connection.send(Frame.text("x".repeat(200)))).isFalse();
		assertThat(this.evicted).containsExactly(connection);
		assertThat(this.evictions).containsExactly(LiveMetrics.SEND_BUFFER_SIZE_LIMIT);
		assertThat(transport.expedited).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(4008));
		assertThat(transport.closingThreads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("livesession-close-"));
		assertThat(transport.closeReasons).containsExactly("send buffer limit exceeded");
		// The write in progress is not interrupted: a slow client still gets it whole.
		transport.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.frames.size() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.pool.getWatchedCount() == 0);
	}

	@Test
	void anOrderlyCloseSendsTheFramesQueuedBeforeItThenTheCloseFrame() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		connection.send(Frame.text("reply"));
		connection.send(Frame.text("error"));
		connection.close(1008, "revoked");
		assertThat(connection.isClosing()).isTrue();
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.send(Frame.text("after the close"))).isFalse();
		assertThat(transport.closeCodes).isEmpty();
		transport.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(1008));
		assertThat(transport.texts()).containsExactly(GREETING.getText(), "reply", "error");
		assertThat(transport.closeCodes).containsExactly(1008);
		assertThat(transport.closeReasons).containsExactly("revoked");
		assertThat(transport.closingThreads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("livesession-close-"));
		assertThat(this.evicted).isEmpty();
		assertThat(this.pool.getWatchedCount()).isZero();
	}

	@Test
	void anOrderlyCloseWhoseFramesDoNotGoOutWithinTheGracePeriodClosesWithItsCodeAtOnce() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30), Duration.ofMillis(200));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		connection.send(Frame.text("queued"));
		connection.close(1001, "server shutting down");
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(1001));
		assertThat(transport.closeCodes).containsExactly(1001);
		assertThat(transport.closeReasons).containsExactly("server shutting down");
		assertThat(connection.getQueuedBytes()).isZero();
		assertThat(this.evicted).isEmpty();
		transport.release();
		assertThat(transport.frames).containsExactly(GREETING);
		assertThat(this.pool.getWatchedCount()).isZero();
	}

	@Test
	void aWriteThatFailsDuringAnOrderlyCloseClosesAtOnce() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		connection.send(Frame.text("queued"));
		connection.close(1000, "bye");
		transport.failPending();
		await().atMost(Duration.ofSeconds(5)).until(() -> !transport.closeCodes.isEmpty());
		assertThat(transport.closeCodes).containsExactly(1000);
		assertThat(transport.frames).isEmpty();
	}

	@Test
	void aLongQueueIsWrittenInBatchesOnTheCompletingThreadAndThePool() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		int count = 3 * QueuedConnection.BATCH;
		for (int i = 0; i < count; i++) {
			connection.send(Frame.text("frame " + i));
		}
		transport.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.frames.size() == 1 + count);
		assertThat(transport.texts()).element(count).isEqualTo("frame " + (count - 1));
		// The releasing (completing) thread wrote one batch, then handed over.
		assertThat(transport.sendingThreads.stream().filter((thread) -> thread == Thread.currentThread()))
			.hasSize(1 + QueuedConnection.BATCH);
		assertThat(transport.sendingThreads.stream().map(Thread::getName).distinct())
			.anySatisfy((name) -> assertThat(name).startsWith("livesession-send-"));
	}

	@Test
	void closingAnIdleConnectionClosesTheTransportOnAClosingThreadWithAQuickCloseFrame() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, 1024);
		connection.close(1000, "bye");
		assertThat(connection.isOpen()).isFalse();
		assertThat(transport.expedited).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(1000));
		assertThat(transport.closingThreads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("livesession-close-"));
	}

	/**
	 * A scheduler on which the send watchdog never runs by itself, only when a test calls
	 * {@link SendPool#check(long)}.
	 */
	private static ThreadPoolTaskScheduler manualScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler() {

			@Override
			public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
				return schedule(() -> {
				}, startTime);
			}

		};
		scheduler.initialize();
		return scheduler;
	}

	private ManagedConnection connection(TransportSession transport, long limit) {
		ConnectionInfo info = new ConnectionInfo("c1", null, "anon:x", null, Set.of(), null, Instant.now());
		return Delivery.connection(info, transport, this.pool, limit, this.metrics, this.evicted::add);
	}

}
