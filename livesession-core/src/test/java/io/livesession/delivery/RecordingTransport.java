package io.livesession.delivery;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.Frame;

/**
 * A {@link TransportSession} that records what it is sent and how it is closed. Its
 * writes complete at once, or, when {@link #blocking()}, stay in progress until
 * {@link #release() released} (the callbacks then run on the releasing thread), or fail.
 */
class RecordingTransport implements TransportSession {

	final List<Frame> frames = new CopyOnWriteArrayList<>();

	final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

	final List<String> closeReasons = new CopyOnWriteArrayList<>();

	final List<Thread> closingThreads = new CopyOnWriteArrayList<>();

	final List<Thread> sendingThreads = new CopyOnWriteArrayList<>();

	final AtomicInteger pings = new AtomicInteger();

	volatile boolean expedited;

	private final CountDownLatch entered = new CountDownLatch(1);

	private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

	private volatile boolean blocking;

	private volatile int failFrom = Integer.MAX_VALUE;

	private volatile RuntimeException runtimeFailure;

	private volatile int attempts;

	/**
	 * Keep every write in progress until {@link #release()}.
	 * @return this transport
	 */
	RecordingTransport blocking() {
		this.blocking = true;
		return this;
	}

	/**
	 * Make the n-th send (from 0) and later ones fail with an {@link IOException}.
	 * @param index the first failing send
	 * @return this transport
	 */
	RecordingTransport failingFrom(int index) {
		this.failFrom = index;
		return this;
	}

	/**
	 * Make failing sends throw the given exception instead.
	 * @param failure the exception
	 * @return this transport
	 */
	RecordingTransport failingWith(RuntimeException failure) {
		this.runtimeFailure = failure;
		return this;
	}

	/**
	 * Complete the writes in progress, and from now on every write at once.
	 */
	void release() {
		this.blocking = false;
		Runnable completion;
		while ((completion = this.pending.poll()) != null) {
			completion.run();
		}
	}

	/**
	 * Fail the writes in progress.
	 */
	void failPending() {
		this.failFrom = 0;
		release();
	}

	/**
	 * Wait until a send was started.
	 */
	void awaitSending() throws InterruptedException {
		if (!this.entered.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Nothing was sent");
		}
	}

	@Override
	public void send(Frame frame, SendCallback callback) {
		int attempt;
		synchronized (this) {
			attempt = this.attempts++;
		}
		this.sendingThreads.add(Thread.currentThread());
		this.entered.countDown();
		if (attempt >= this.failFrom) {
			RuntimeException failure = this.runtimeFailure;
			if (failure != null) {
				throw failure;
			}
			callback.completed(new IOException("Broken pipe"));
			return;
		}
		Runnable completion = () -> {
			if (this.failFrom == 0) {
				callback.completed(new IOException("Broken pipe"));
				return;
			}
			this.frames.add(frame);
			callback.completed(null);
		};
		if (this.blocking) {
			this.pending.add(completion);
			if (this.blocking || !this.pending.remove(completion)) {
				return;
			}
		}
		completion.run();
	}

	@Override
	public boolean ping() {
		this.pings.incrementAndGet();
		return true;
	}

	@Override
	public void expediteClose() {
		this.expedited = true;
	}

	@Override
	public void close(int code, String reason) {
		this.closingThreads.add(Thread.currentThread());
		this.closeCodes.add(code);
		this.closeReasons.add(reason);
	}

	@Override
	public boolean isOpen() {
		return this.closeCodes.isEmpty();
	}

	List<String> texts() {
		return this.frames.stream().map(Frame::getText).toList();
	}

}
