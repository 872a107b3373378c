package io.livesession.delivery;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.livesession.Frame;

/**
 * A {@link TransportSession} that records what it is sent and how it is closed. It can be
 * made to block in {@link #send(Frame)} until {@link #release() released}, or to fail.
 */
class RecordingTransport implements TransportSession {

	final List<Frame> frames = new CopyOnWriteArrayList<>();

	final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

	final List<String> closeReasons = new CopyOnWriteArrayList<>();

	final List<Thread> closingThreads = new CopyOnWriteArrayList<>();

	volatile boolean expedited;

	private final CountDownLatch entered = new CountDownLatch(1);

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private volatile int failFrom = Integer.MAX_VALUE;

	private volatile RuntimeException runtimeFailure;

	private volatile int attempts;

	/**
	 * Make every send block until {@link #release()}.
	 * @return this transport
	 */
	RecordingTransport blocking() {
		this.gate = new CountDownLatch(1);
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

	void release() {
		this.gate.countDown();
	}

	/**
	 * Wait until a send is in progress (blocked, when blocking).
	 */
	void awaitSending() throws InterruptedException {
		if (!this.entered.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Nothing was sent");
		}
	}

	@Override
	public void send(Frame frame) throws IOException {
		int attempt;
		synchronized (this) {
			attempt = this.attempts++;
		}
		this.entered.countDown();
		if (attempt >= this.failFrom) {
			RuntimeException failure = this.runtimeFailure;
			if (failure != null) {
				throw failure;
			}
			throw new IOException("Broken pipe");
		}
		try {
			if (!this.gate.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		this.frames.add(frame);
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
