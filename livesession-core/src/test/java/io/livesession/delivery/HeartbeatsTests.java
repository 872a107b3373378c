package io.livesession.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import io.livesession.registry.ConnectionRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Heartbeats} and the heartbeat of {@link QueuedConnection}.
 */
class HeartbeatsTests {

	private static final Frame GREETING = Frame.text("{\"type\":\"hello\"}");

	private static final long TIMEOUT = Duration.ofSeconds(1).toNanos();

	private final SendPool pool = new SendPool(1, Duration.ofSeconds(30));

	private final List<ManagedConnection> evicted = new CopyOnWriteArrayList<>();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	@AfterEach
	void close() {
		this.pool.close();
		this.scheduler.shutdown();
	}

	@Test
	void aConnectionIsPingedAndClosedAtOnceWhenItAnswersNothingWithinTheTimeout() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = open(transport);
		long start = System.nanoTime();
		connection.heartbeat(start, TIMEOUT, true);
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.pings.get() == 1);
		connection.heartbeat(start + TIMEOUT - 1, TIMEOUT, true);
		assertThat(transport.closeCodes).isEmpty();
		// An unanswered ping is not repeated.
		assertThat(transport.pings).hasValue(1);
		connection.heartbeat(start + TIMEOUT, TIMEOUT, false);
		assertThat(this.evicted).containsExactly(connection);
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(1001));
		assertThat(transport.closeReasons).containsExactly("heartbeat timeout");
		assertThat(connection.isClosing()).isTrue();
	}

	@Test
	void aConnectionThatAnswersStaysOpenAndIsPingedAgain() throws Exception {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = open(transport);
		long start = System.nanoTime();
		connection.heartbeat(start, TIMEOUT, true);
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.pings.get() == 1);
		connection.heard();
		connection.heartbeat(System.nanoTime() + 2 * TIMEOUT, TIMEOUT, false);
		assertThat(transport.closeCodes).isEmpty();
		connection.heartbeat(System.nanoTime() + 2 * TIMEOUT, TIMEOUT, true);
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.pings.get() == 2);
		assertThat(this.evicted).isEmpty();
	}

	@Test
	void aConnectionWithAWriteInProgressIsNotPingedAndFramesQueuedDuringAPingFollowIt() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = open(transport);
		connection.heartbeat(System.nanoTime(), TIMEOUT, true);
		assertThat(transport.pings).hasValue(0);
		transport.release();
		connection.heartbeat(System.nanoTime(), TIMEOUT, true);
		connection.send(Frame.text("after the ping"));
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.frames.size() == 2);
		assertThat(transport.pings).hasValue(1);
	}

	@Test
	void heartbeatsPingTheRegisteredConnectionsAndCloseAndUnregisterSilentOnesWithinIntervalAndTimeout() {
		this.scheduler.initialize();
		ConnectionRegistry registry = ConnectionRegistries.inMemory();
		RecordingTransport answering = new RecordingTransport() {

			ManagedConnection connection;

			@Override
			public boolean ping() {
				super.ping();
				this.connection = (ManagedConnection) registry.findAll()
					.stream()
					.filter((candidate) -> candidate.getId().equals("answering"))
					.findFirst()
					.orElseThrow();
				this.connection.heard();
				return true;
			}

		};
		RecordingTransport silent = new RecordingTransport();
		registry.register(open("answering", answering, registry));
		registry.register(open("silent", silent, registry));
		Duration interval = Duration.ofMillis(300);
		Duration timeout = Duration.ofMillis(300);
		try (Heartbeats heartbeats = new Heartbeats(registry, this.scheduler, interval, timeout)) {
			long start = System.nanoTime();
			heartbeats.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> silent.closeCodes.contains(1001));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(interval.plus(timeout).plusSeconds(1));
			assertThat(registry.findAll()).extracting("id").containsExactly("answering");
			await().atMost(Duration.ofSeconds(5)).until(() -> answering.pings.get() >= 3);
			assertThat(answering.closeCodes).isEmpty();
		}
	}

	@Test
	void aCheckThatRunsLateAfterAPauseOfTheServerFirstLetsItReadTheAnswersThatArrivedMeanwhile() throws Exception {
		this.scheduler.initialize();
		ConnectionRegistry registry = ConnectionRegistries.inMemory();
		RecordingTransport answered = new RecordingTransport();
		RecordingTransport silent = new RecordingTransport();
		ManagedConnection answering = open("answered", answered, registry);
		ManagedConnection silence = open("silent", silent, registry);
		registry.register(answering);
		registry.register(silence);
		Duration timeout = Duration.ofMillis(300);
		try (Heartbeats heartbeats = new Heartbeats(registry, this.scheduler, Duration.ofMinutes(1), timeout)) {
			answering.heartbeat(System.nanoTime(), timeout.toNanos(), true);
			silence.heartbeat(System.nanoTime(), timeout.toNanos(), true);
			await().atMost(Duration.ofSeconds(5)).until(() -> answered.pings.get() == 1 && silent.pings.get() == 1);
			Thread.sleep(2 * timeout.toMillis());
			// The check was due 5 s ago: the process was frozen, the answers are unread.
			heartbeats.check(System.nanoTime() - Duration.ofSeconds(5).toNanos());
			assertThat(this.evicted).isEmpty();
			// The answer read after the process resumed.
			answering.heard();
			await().atMost(Duration.ofSeconds(5)).until(() -> silent.closeCodes.contains(1001));
			assertThat(this.evicted).containsExactly(silence);
			assertThat(answered.closeCodes).isEmpty();
			assertThat(registry.findAll()).extracting("id").containsExactly("answered");
		}
	}

	@Test
	void aCheckOnTimeClosesASilentConnectionAtOnce() throws Exception {
		this.scheduler.initialize();
		ConnectionRegistry registry = ConnectionRegistries.inMemory();
		RecordingTransport silent = new RecordingTransport();
		ManagedConnection connection = open("silent", silent, registry);
		registry.register(connection);
		Duration timeout = Duration.ofMillis(300);
		try (Heartbeats heartbeats = new Heartbeats(registry, this.scheduler, Duration.ofMinutes(1), timeout)) {
			connection.heartbeat(System.nanoTime(), timeout.toNanos(), true);
			await().atMost(Duration.ofSeconds(5)).until(() -> silent.pings.get() == 1);
			Thread.sleep(2 * timeout.toMillis());
			heartbeats.check(System.nanoTime());
			assertThat(this.evicted).containsExactly(connection);
		}
	}

	private ManagedConnection open(RecordingTransport transport) {
		ManagedConnection connection = open("c1", transport, null);
		return connection;
	}

	private ManagedConnection open(String id, RecordingTransport transport, ConnectionRegistry registry) {
		ConnectionInfo info = new ConnectionInfo(id, null, "anon:x", null, Set.of(), null, Instant.now());
		ManagedConnection connection = Delivery.connection(info, transport, this.pool, 1024 * 1024, LiveMetrics.NONE,
				(evicted) -> {
					this.evicted.add(evicted);
					if (registry != null) {
						registry.unregister(evicted);
					}
				});
		connection.open(GREETING, 0);
		return connection;
	}

}
