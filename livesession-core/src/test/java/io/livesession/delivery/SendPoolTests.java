package io.livesession.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
	void aWriteBlockedLongerThanTheSendTimeLimitEvictsTheConnectionWith4008AndFreesItsThread() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(4008));
		assertThat(transport.closeCodes).containsExactly(4008);
		assertThat(transport.closeReasons).containsExactly("send time limit exceeded");
		assertThat(this.evicted).containsExactly(connection);
		assertThat(this.evictions).containsExactly(LiveMetrics.SEND_TIME_LIMIT);
		assertThat(transport.expedited).isTrue();
		// The close ran on a closing thread, not on the watchdog or a send thread.
		assertThat(transport.closingThreads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("livesession-close-"));
		// The stuck write was interrupted, so the only send thread is free again.
		assertThat(this.pool.getExecutor() instanceof java.util.concurrent.ExecutorService service
				? service.submit(() -> "free").get(5, TimeUnit.SECONDS) : null)
			.isEqualTo("free");
		assertThat(transport.frames).isEmpty();
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.send(Frame.text("late"))).isFalse();
		assertThat(this.pool.getWatchedCount()).isZero();
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
	void aWriteStillStuckAfterAnEvictionIsInterruptedAtTheSendTimeLimit() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 100);
		connection.open(GREETING, 0);
		transport.awaitSending();
		assertThat(connection.send(Frame.text("x".repeat(200)))).isFalse();
		assertThat(this.pool.getWatchedCount()).isOne();
		// The only send thread is freed by the watchdog, without a second eviction.
		assertThat(((java.util.concurrent.ExecutorService) this.pool.getExecutor()).submit(() -> "free")
			.get(5, TimeUnit.SECONDS)).isEqualTo("free");
		assertThat(transport.frames).isEmpty();
		assertThat(this.evictions).containsExactly(LiveMetrics.SEND_BUFFER_SIZE_LIMIT);
		assertThat(this.evicted).containsExactly(connection);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.pool.getWatchedCount() == 0);
		assertThat(transport.closeCodes).containsExactly(4008);
	}

	@Test
	void closingWhileAWriteIsBlockedClosesOnAClosingThreadWithoutInterruptingTheWrite() throws Exception {
		this.pool.close();
		this.pool = new SendPool(1, Duration.ofSeconds(30));
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		connection.close(1008, "revoked");
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(1008));
		assertThat(transport.closingThreads).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("livesession-close-"));
		assertThat(transport.expedited).isTrue();
		assertThat(this.evicted).isEmpty();
		transport.release();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.frames.size() == 1);
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

	private ManagedConnection connection(TransportSession transport, long limit) {
		ConnectionInfo info = new ConnectionInfo("c1", null, "anon:x", null, Set.of(), null, Instant.now());
		return Delivery.connection(info, transport, this.pool, limit, this.metrics, this.evicted::add);
	}

}
