package io.livesession.delivery;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link QueuedConnection}, created through
 * {@link Delivery#connection(ConnectionInfo, TransportSession, Executor, long)}.
 */
class QueuedConnectionTests {

	private static final Executor DIRECT = Runnable::run;

	private static final Frame GREETING = Frame.text("{\"type\":\"hello\"}");

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	private final AtomicInteger fullStatesEncoded = new AtomicInteger();

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
	}

	@Test
	void exposesTheIdentityOfItsInfo() {
		Principal principal = () -> "alice";
		Instant openedAt = Instant.parse("2025-01-01T00:00:00Z");
		ConnectionInfo info = new ConnectionInfo("c1", "alice", "user:alice", principal, Set.of("ROLE_USER"), "http-1",
				openedAt);
		ManagedConnection connection = Delivery.connection(info, new RecordingTransport(), DIRECT, 1024);
		assertThat(connection.getId()).isEqualTo("c1");
		assertThat(connection.getUserId()).isEqualTo("alice");
		assertThat(connection.getGroupId()).isEqualTo("user:alice");
		assertThat(connection.getPrincipal()).isSameAs(principal);
		assertThat(connection.getAuthorities()).containsExactly("ROLE_USER");
		assertThat(connection.getHttpSessionId()).isEqualTo("http-1");
		assertThat(connection.getOpenedAt()).isEqualTo(openedAt);
		assertThat(connection.isOpen()).isTrue();
	}

	@Test
	void greetingIsTheFirstFrameEvenIfFramesWereSentBefore() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		assertThat(connection.send(Frame.text("early"))).isTrue();
		assertThat(transport.frames).isEmpty();
		connection.open(GREETING, 0);
		assertThat(transport.frames).first().isSameAs(GREETING);
	}

	@Test
	void framesSentBeforeOpenAreDeliveredAfterTheGreetingInOrder() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.send(Frame.text("a"));
		connection.send(Frame.binary(new byte[] { 1, 2 }));
		connection.send(Frame.text("c"));
		connection.open(GREETING, 0);
		connection.send(Frame.text("d"));
		assertThat(transport.frames).containsExactly(GREETING, Frame.text("a"), Frame.binary(new byte[] { 1, 2 }),
				Frame.text("c"), Frame.text("d"));
		assertThat(connection.getQueuedBytes()).isZero();
	}

	@Test
	void stateFramesSentBeforeOpenAreDropped() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		assertThat(connection.send(state(1))).isTrue();
		connection.send(Frame.text("a"));
		assertThat(connection.send(Frame.state("{\"full\":true}", 2))).isTrue();
		connection.open(GREETING, 0);
		assertThat(transport.frames).containsExactly(GREETING, Frame.text("a"));
		assertThat(this.fullStatesEncoded).hasValue(0);
		assertThat(connection.getQueuedBytes()).isZero();
	}

	@Test
	void stateFramesOfAConnectionThatKeepsUpAreSentAsChanges() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.open(GREETING, 0);
		connection.send(state(1));
		connection.send(state(2));
		assertThat(transport.texts()).containsExactly(GREETING.getText(), change(1), change(2));
		assertThat(this.fullStatesEncoded).hasValue(0);
	}

	@Test
	void stateFramesQueuedBehindAnUnsentStateFrameAreCoalescedIntoTheLatestFullState() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = greetedWhileWriting(transport);
		for (int version = 1; version <= 5; version++) {
			assertThat(connection.send(state(version))).isTrue();
		}
		transport.release();
		drained(connection);
		assertThat(transport.frames).hasSize(2);
		assertThat(transport.frames.get(0)).isSameAs(GREETING);
		Frame last = transport.frames.get(1);
		assertThat(last.isState()).isTrue();
		assertThat(last.getStateVersion()).isEqualTo(5);
		assertThat(last.getText()).isEqualTo(full(5)).contains("\"full\":true");
		assertThat(connection.getQueuedBytes()).isZero();
	}

	@Test
	void aCoalescedStateFrameReadsItsFullStateOffTheConnectionsMonitor() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = greetedWhileWriting(transport);
		connection.send(state(1));
		List<Boolean> heldTheMonitor = new CopyOnWriteArrayList<>();
		// Read from Redis in production: a thread that must not wait (sendIfIdle) may
		// take the monitor meanwhile.
		connection.send(Frame.state(change(2), 2, () -> {
			heldTheMonitor.add(Thread.holdsLock(connection));
			return Frame.state(full(2), 2);
		}));
		assertThat(heldTheMonitor).containsExactly(false);
		transport.release();
		drained(connection);
		assertThat(transport.texts()).containsExactly(GREETING.getText(), full(2));
	}

	@Test
	void sendIfIdleWritesOnTheCallersThreadWhenNothingIsQueuedOrInProgress() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, this.executor, 1024 * 1024);
		assertThat(connection.sendIfIdle(Frame.text("early"))).as("before the greeting").isFalse();
		connection.open(GREETING, 0);
		assertThat(connection.sendIfIdle(state(1))).isTrue();
		assertThat(transport.frames).as("written before it returned").containsExactly(GREETING, state(1));
	}

	@Test
	void sendIfIdleRefusesAConnectionWithAWriteInProgressAndQueuesNothing() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = greetedWhileWriting(transport);
		assertThat(connection.send(state(1))).isTrue();
		assertThat(connection.sendIfIdle(state(2))).isFalse();
		assertThat(this.fullStatesEncoded).as("no full state was needed").hasValue(0);
		transport.release();
		drained(connection);
		assertThat(transport.frames).extracting(Frame::getStateVersion).containsExactly(-1L, 1L);
		connection.close(1000, "done");
		assertThat(connection.sendIfIdle(state(3))).as("once closing").isFalse();
	}

	@Test
	void coalescingKeepsEveryOtherFrameInOrder() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = greetedWhileWriting(transport);
		connection.send(state(1));
		connection.send(Frame.text("t1"));
		connection.send(state(2));
		connection.send(Frame.text("t2"));
		connection.send(state(3));
		transport.release();
		drained(connection);
		List<Frame> states = transport.frames.stream().filter(Frame::isState).toList();
		assertThat(states).singleElement().satisfies((frame) -> {
			assertThat(frame.getStateVersion()).isEqualTo(3);
			assertThat(frame.getText()).isEqualTo(full(3));
		});
		assertThat(transport.frames.stream().filter((frame) -> !frame.isState()).map(Frame::getText))
			.containsExactly(GREETING.getText(), "t1", "t2");
		assertThat(transport.frames.get(0)).isSameAs(GREETING);
	}

	@Test
	void stateFramesAfterTheQueuedStateWasSentAreQueuedAgain() throws Exception {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, this.executor, 1024 * 1024);
		connection.open(GREETING, 0);
		for (int version = 1; version <= 3; version++) {
			connection.send(state(version));
			int expected = version + 1;
			await().atMost(Duration.ofSeconds(10)).until(() -> transport.frames.size() == expected);
		}
		assertThat(transport.texts()).containsExactly(GREETING.getText(), change(1), change(2), change(3));
	}

	@Test
	void exceedingTheSendBufferLimitClosesWith4008() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, this.executor, 100);
		connection.open(GREETING, 0);
		transport.awaitSending();
		assertThat(connection.send(Frame.text("x".repeat(60)))).isTrue();
		assertThat(transport.closeCodes).isEmpty();
		assertThat(connection.send(Frame.text("y".repeat(60)))).isFalse();
		assertThat(transport.closeCodes).containsExactly(4008);
		assertThat(transport.expedited).isTrue();
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.send(Frame.text("z"))).isFalse();
		assertThat(connection.getQueuedBytes()).isZero();
		transport.release();
		drained(connection);
		assertThat(transport.frames).containsExactly(GREETING);
		assertThat(transport.closeCodes).containsExactly(4008);
	}

	@Test
	void exceedingTheSendBufferLimitBeforeOpenClosesWith4008() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 10);
		assertThat(connection.send(Frame.text("1234567890"))).isTrue();
		assertThat(connection.getQueuedBytes()).isEqualTo(10);
		assertThat(connection.send(Frame.binary(new byte[1]))).isFalse();
		assertThat(transport.closeCodes).containsExactly(4008);
		assertThat(connection.send(Frame.text("a"))).isFalse();
		connection.open(GREETING, 0);
		assertThat(transport.frames).isEmpty();
	}

	@Test
	void sendBufferCountsBytesNotCharacters() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 10);
		// 4 characters, 12 bytes in UTF-8
		assertThat(connection.send(Frame.text("\u20ac\u20ac\u20ac\u20ac"))).isFalse();
		assertThat(transport.closeCodes).containsExactly(4008);
	}

	@Test
	void aTransportWhoseSendFailsIsClosedWith1011WithoutThrowingToTheCaller() {
		RecordingTransport transport = new RecordingTransport().failingFrom(1);
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.open(GREETING, 0);
		assertThat(transport.frames).containsExactly(GREETING);
		assertThatCode(() -> connection.send(Frame.text("a"))).doesNotThrowAnyException();
		assertThat(transport.closeCodes).containsExactly(1011);
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.send(Frame.text("b"))).isFalse();
		assertThat(transport.closeCodes).containsExactly(1011);
	}

	@Test
	void aTransportWhoseSendThrowsARuntimeExceptionIsClosedWith1011WithoutThrowingToTheCaller() {
		RecordingTransport transport = new RecordingTransport().failingFrom(0)
			.failingWith(new IllegalStateException("The WebSocket session has been closed"));
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.send(Frame.text("a"));
		assertThatCode(() -> connection.open(GREETING, 0)).doesNotThrowAnyException();
		assertThat(transport.closeCodes).containsExactly(1011);
		assertThat(transport.frames).isEmpty();
		assertThat(connection.send(Frame.text("b"))).isFalse();
	}

	@Test
	void aFailedSendDropsTheQueuedFrames() throws Exception {
		RecordingTransport transport = new RecordingTransport().failingFrom(0);
		ManagedConnection connection = connection(transport, this.executor, 1024);
		for (int i = 0; i < 10; i++) {
			connection.send(Frame.text("frame " + i));
		}
		connection.open(GREETING, 0);
		drained(connection);
		assertThat(transport.closeCodes).containsExactly(1011);
		assertThat(transport.frames).isEmpty();
		assertThat(connection.getQueuedBytes()).isZero();
	}

	@Test
	void anExecutorThatRejectsALongDrainClosesWith1001() throws Exception {
		Executor rejecting = (task) -> {
			throw new RejectedExecutionException("shut down");
		};
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection(transport, rejecting, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		for (int i = 0; i < QueuedConnection.BATCH + 1; i++) {
			connection.send(Frame.text("frame " + i));
		}
		assertThatCode(transport::release).doesNotThrowAnyException();
		assertThat(transport.closeCodes).containsExactly(1001);
		assertThat(transport.frames).hasSize(1 + QueuedConnection.BATCH);
		assertThat(connection.send(Frame.text("a"))).isFalse();
	}

	@Test
	void aSenderThatFindsTheConnectionIdleWritesOnItsOwnThread() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, this.executor, 1024);
		connection.open(GREETING, 0);
		assertThat(connection.send(Frame.text("a"))).isTrue();
		assertThat(transport.texts()).containsExactly(GREETING.getText(), "a");
		assertThat(transport.sendingThreads).containsOnly(Thread.currentThread());
	}

	@Test
	void closingBeforeTheGreetingClosesAtOnceWithoutSendingWhatWasQueued() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.send(Frame.text("queued"));
		connection.close(1008, "revoked");
		assertThat(transport.closeCodes).containsExactly(1008);
		connection.open(GREETING, 0);
		assertThat(transport.frames).isEmpty();
	}

	@Test
	void closeClosesTheTransportOnce() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.open(GREETING, 0);
		connection.close(1000, "bye");
		connection.close(1011, "again");
		assertThat(transport.closeCodes).containsExactly(1000);
		assertThat(transport.closeReasons).containsExactly("bye");
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.send(Frame.text("a"))).isFalse();
		assertThat(transport.frames).containsExactly(GREETING);
	}

	@Test
	void releasedDropsQueuedFramesAndRefusesNewOnesWithoutClosingTheTransport() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(transport, DIRECT, 1024);
		connection.send(Frame.text("queued"));
		connection.released();
		assertThat(connection.getQueuedBytes()).isZero();
		assertThat(connection.send(Frame.text("a"))).isFalse();
		connection.open(GREETING, 0);
		assertThat(transport.frames).isEmpty();
		assertThat(transport.closeCodes).isEmpty();
		connection.close(1000, "bye");
		assertThat(transport.closeCodes).isEmpty();
	}

	@Test
	void manyFramesAreAllDeliveredInOrderAcrossBatches() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = greetedWhileWriting(transport);
		List<Frame> expected = new ArrayList<>();
		expected.add(GREETING);
		for (int i = 0; i < 500; i++) {
			Frame frame = Frame.text("frame " + i);
			expected.add(frame);
			assertThat(connection.send(frame)).isTrue();
		}
		transport.release();
		drained(connection);
		assertThat(transport.frames).containsExactlyElementsOf(expected);
	}

	@Test
	void concurrentSendersAreDeliveredCompletelyAndInOrderPerSender() throws Exception {
		int senders = 4;
		int perSender = 500;
		RecordingTransport transport = new RecordingTransport();
		ExecutorService pool = Executors.newFixedThreadPool(3);
		ExecutorService sending = Executors.newFixedThreadPool(senders);
		try {
			ManagedConnection connection = connection(transport, pool, 1024 * 1024);
			connection.open(GREETING, 0);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int s = 0; s < senders; s++) {
				int sender = s;
				futures.add(sending.submit(() -> {
					start.await();
					for (int i = 0; i < perSender; i++) {
						assertThat(connection.send(Frame.text(sender + ":" + i))).isTrue();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> transport.frames.size() == senders * perSender + 1);
		}
		finally {
			sending.shutdownNow();
			pool.shutdownNow();
		}
		assertThat(transport.frames.get(0)).isSameAs(GREETING);
		int[] next = new int[senders];
		for (Frame frame : transport.frames.subList(1, transport.frames.size())) {
			String[] parts = frame.getText().split(":");
			int sender = Integer.parseInt(parts[0]);
			assertThat(Integer.parseInt(parts[1])).isEqualTo(next[sender]++);
		}
		assertThat(next).containsOnly(perSender);
	}

	@Test
	void attributesAreLazy() {
		ManagedConnection connection = connection(new RecordingTransport(), DIRECT, 1024);
		assertThat(connection.getAttributeNames()).isEmpty();
		assertThat(connection.getAttribute("a")).isNull();
		assertThat(connection.removeAttribute("a")).isNull();
		connection.setAttribute("a", null);
		assertThat(ReflectionTestUtils.getField(connection, "attributes")).isNull();
		connection.setAttribute("a", 1);
		assertThat(ReflectionTestUtils.getField(connection, "attributes")).isNotNull();
	}

	@Test
	void attributesCanBeSetReadAndRemoved() {
		ManagedConnection connection = connection(new RecordingTransport(), DIRECT, 1024);
		connection.setAttribute("a", 1);
		connection.setAttribute("b", "two");
		assertThat(connection.getAttribute("a")).isEqualTo(1);
		assertThat(connection.getAttribute("b")).isEqualTo("two");
		assertThat(connection.getAttributeNames()).containsExactlyInAnyOrder("a", "b");
		connection.setAttribute("a", 3);
		assertThat(connection.getAttribute("a")).isEqualTo(3);
		assertThat(connection.removeAttribute("a")).isEqualTo(3);
		assertThat(connection.getAttribute("a")).isNull();
		connection.setAttribute("b", null);
		assertThat(connection.getAttribute("b")).isNull();
		assertThat(connection.getAttributeNames()).isEmpty();
	}

	@Test
	void attributeNamesAreAnImmutableSnapshot() {
		ManagedConnection connection = connection(new RecordingTransport(), DIRECT, 1024);
		connection.setAttribute("a", 1);
		Set<String> names = connection.getAttributeNames();
		connection.setAttribute("b", 2);
		assertThat(names).containsExactly("a");
		assertThatThrownBy(() -> names.add("c")).isInstanceOf(UnsupportedOperationException.class);
		assertThat(connection.getAttributeNames()).containsExactlyInAnyOrder("a", "b");
		assertThat(Map.of("a", connection.getAttribute("a"))).containsEntry("a", 1);
	}

	/**
	 * A connection whose greeting's write is in progress until the transport is released.
	 */
	private ManagedConnection greetedWhileWriting(RecordingTransport transport) throws InterruptedException {
		ManagedConnection connection = connection(transport, this.executor, 1024 * 1024);
		connection.open(GREETING, 0);
		transport.awaitSending();
		return connection;
	}

	private static ManagedConnection connection(TransportSession transport, Executor executor, long limit) {
		ConnectionInfo info = new ConnectionInfo("c1", null, "anon:x", null, Set.of(), null, Instant.now());
		return Delivery.connection(info, transport, executor, limit);
	}

	/**
	 * Wait until the queue is empty and the single executor thread is done writing: it
	 * runs one task at a time, so a task submitted now runs after the write of the last
	 * polled frame returned.
	 */
	private void drained(ManagedConnection connection) throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.getQueuedBytes() == 0);
		this.executor.submit(() -> {
		}).get(10, TimeUnit.SECONDS);
	}

	private Frame state(long version) {
		return Frame.state(change(version), version, () -> {
			this.fullStatesEncoded.incrementAndGet();
			return Frame.state(full(version), version);
		});
	}

	private static String change(long version) {
		return "{\"type\":\"state\",\"version\":" + version + ",\"state\":{\"count\":" + version + "}}";
	}

	private static String full(long version) {
		return "{\"type\":\"state\",\"version\":" + version + ",\"state\":{\"count\":" + version
				+ ",\"other\":true},\"full\":true}";
	}

}
