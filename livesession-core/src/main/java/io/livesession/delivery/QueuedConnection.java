package io.livesession.delivery;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A connection with its own bounded outbound queue and non-blocking writes, so that a
 * sender (a broadcast, a state push) never waits on the network and no thread ever waits
 * on a peer: a stalled peer costs its bounded buffer, never a thread.
 *
 * <p>
 * A sender that finds the connection idle writes on its own thread; the container's
 * asynchronous write usually completes at once (the socket buffer takes the frame), and
 * the sender returns. Otherwise the frame is queued, and the thread that completes the
 * write in progress (the container's) writes the next frames, up to {@value #BATCH} per
 * completion before it hands the rest to the pool's executor. This replaced a queue
 * drained by a small pool of threads with blocking writes: with 2,000 connections on one
 * CPU, that design's delivery p99 was about 7 times that of a plain loop of blocking
 * {@code sendMessage} calls (the handoff to the pool, not the CPU, set the latency; see
 * docs/benchmarks.md), and every stalled peer parked a send thread until the send time
 * limit.
 *
 * <p>
 * A connection that cannot keep up is evicted: closed with 4008 at once and unregistered,
 * when its queue exceeds the send buffer limit (checked by the sender) or when one write
 * has been in progress longer than the send time limit (checked by the {@link SendPool}'s
 * watchdog). Any other close is orderly: the frames already queued go out first, within
 * {@link SendPool#getCloseGracePeriod() a grace period}, then the close frame. Closing
 * never waits for the network: the transport is closed on the pool's closing threads.
 *
 * <p>
 * Spring's {@code ConcurrentWebSocketSessionDecorator} is not used: its writes block, it
 * checks its limits only when a second sender contends for the session, and it does not
 * coalesce state.
 *
 * @author livesession
 */
final class QueuedConnection extends ConnectionBase implements ManagedConnection {

	private static final Log logger = LogFactory.getLog(QueuedConnection.class);

	/** Frames written per completion, so that one busy connection cannot hog a thread. */
	static final int BATCH = 64;

	private static final long NO_GRACE_LIMIT = Long.MAX_VALUE;

	private final TransportSession transport;

	private final Executor executor;

	private final Executor closer;

	private final long sendBufferSizeLimit;

	private final long closeGraceNanos;

	private final LiveMetrics metrics;

	private final Consumer<? super ManagedConnection> evicted;

	private final @Nullable SendPool pool;

	/** Guarded by {@code this}. */
	private final OutboundQueue queue;

	private boolean ready;

	/** Whether a write (or ping) is in progress or a thread is about to start one. */
	private boolean writing;

	/** Closing started: no new frames are accepted. */
	private volatile boolean closed;

	/**
	 * The transport close was issued (or the transport is gone): nothing more is sent.
	 */
	private boolean finished;

	private int closeCode;

	private String closeReason = "";

	/** When an orderly close gives up on the queue ({@link System#nanoTime()}), or 0. */
	private volatile long closeDeadline;

	/** When the current write started ({@link System#nanoTime()}), 0 when idle. */
	private volatile long writeStartedAt;

	private volatile long lastHeard = System.nanoTime();

	/** When the last ping was sent (the heartbeat round's time), 0 before the first. */
	private volatile long pingSentAt;

	/**
	 * A connection without a send time limit whose closes run on the caller's thread.
	 */
	QueuedConnection(ConnectionInfo info, TransportSession transport, Executor executor, long sendBufferSizeLimit) {
		this(info, transport, executor, Runnable::run, sendBufferSizeLimit, NO_GRACE_LIMIT, LiveMetrics.NONE,
				(connection) -> {
				}, null);
	}

	/**
	 * A connection watched by the pool's watchdog.
	 */
	QueuedConnection(ConnectionInfo info, TransportSession transport, SendPool pool, long sendBufferSizeLimit,
			LiveMetrics metrics, Consumer<? super ManagedConnection> evicted) {
		this(info, transport, pool.getExecutor(), pool.getCloser(), sendBufferSizeLimit,
				pool.getCloseGracePeriod().toNanos(), metrics, evicted, pool);
	}

	private QueuedConnection(ConnectionInfo info, TransportSession transport, Executor executor, Executor closer,
			long sendBufferSizeLimit, long closeGraceNanos, LiveMetrics metrics,
			Consumer<? super ManagedConnection> evicted, @Nullable SendPool pool) {
		super(info);
		this.transport = transport;
		this.executor = executor;
		this.closer = closer;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
		this.closeGraceNanos = closeGraceNanos;
		this.metrics = metrics;
		this.queue = new OutboundQueue(metrics);
		this.evicted = evicted;
		this.pool = pool;
		if (pool != null) {
			pool.watch(this);
		}
	}

	@Override
	public boolean isOpen() {
		return !this.closed && this.transport.isOpen();
	}

	@Override
	public boolean isClosing() {
		// Set at the start of close(), evict() and released(), before the close frame.
		return this.closed || !this.transport.isOpen();
	}

	@Override
	public boolean send(Frame frame) {
		Assert.notNull(frame, "'frame' must not be null");
		boolean overflow;
		long queued;
		synchronized (this) {
			if (this.closed) {
				return false;
			}
			int offered = this.queue.offer(frame, this.ready);
			if (offered != OutboundQueue.QUEUED) {
				if (offered == OutboundQueue.COALESCED) {
					this.metrics.frameQueued(this.queue.getBytes());
				}
				return true;
			}
			queued = this.queue.getBytes();
			overflow = queued > this.sendBufferSizeLimit;
			if (!overflow) {
				if (!this.ready || this.writing) {
					this.metrics.frameQueued(queued);
					return true;
				}
				this.writing = true;
			}
		}
		this.metrics.frameQueued(queued);
		if (overflow) {
			evict(LiveMetrics.SEND_BUFFER_SIZE_LIMIT, CloseCode.SEND_BUFFER_LIMIT_EXCEEDED);
			return false;
		}
		drain(BATCH);
		return true;
	}

	@Override
	public void open(Frame greeting, long stateVersion) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.queue.greet(greeting, stateVersion);
			this.ready = true;
			if (this.writing) {
				return;
			}
			this.writing = true;
		}
		drain(BATCH);
	}

	/**
	 * Write queued frames on this thread while their writes complete at once, up to the
	 * budget; return when a write is left in progress (its completion continues), when
	 * the queue is empty (finishing an orderly close), or after handing the rest to the
	 * executor. Called only by the thread that set {@link #writing}.
	 */
	private void drain(int budget) {
		int left = budget;
		while (true) {
			Frame frame = null;
			boolean finishClose = false;
			synchronized (this) {
				if (this.finished) {
					this.writing = false;
					return;
				}
				if (this.queue.isEmpty()) {
					this.writing = false;
					if (!this.closed) {
						return;
					}
					// An orderly close: everything queued has gone out.
					finish();
					finishClose = true;
				}
				else if (left > 0) {
					frame = this.queue.poll();
					this.writeStartedAt = System.nanoTime() | 1;
				}
			}
			if (finishClose) {
				closeTransport(this.closeCode, this.closeReason);
				return;
			}
			if (frame == null) {
				// More queued: yield this thread and continue on the executor.
				handOff();
				return;
			}
			Write write = new Write();
			try {
				this.transport.send(frame, write);
			}
			catch (RuntimeException ex) {
				// Against the contract, but one connection must not fail its sender.
				write.completed(ex);
			}
			if (!write.completedBeforeReturn()) {
				// Still in progress: its completion continues the drain.
				return;
			}
			if (!written(write.failure)) {
				return;
			}
			left--;
		}
	}

	private void handOff() {
		try {
			this.executor.execute(() -> drain(BATCH));
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				this.writing = false;
			}
			abort(CloseCode.SEND_EXECUTOR_SHUT_DOWN);
		}
	}

	/**
	 * Account a completed write.
	 * @return whether the drain may go on
	 */
	private boolean written(@Nullable Throwable failure) {
		this.writeStartedAt = 0;
		if (failure == null) {
			this.metrics.frameSent();
			return true;
		}
		boolean report;
		synchronized (this) {
			this.writing = false;
			report = !this.finished;
		}
		if (report) {
			if (logger.isDebugEnabled()) {
				logger.debug("Send to connection " + getId() + " failed; closing it", failure);
			}
			this.metrics.sendFailed();
			abort(CloseCode.SEND_FAILED);
		}
		return false;
	}

	@Override
	public void close(int code, String reason) {
		boolean now;
		boolean start = false;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.closeCode = code;
			this.closeReason = reason;
			now = !this.ready || (!this.writing && this.queue.isEmpty());
			if (now) {
				finish();
			}
			else {
				long deadline = System.nanoTime() + Math.min(this.closeGraceNanos, Long.MAX_VALUE / 4);
				this.closeDeadline = deadline | 1;
				start = !this.writing;
				this.writing = true;
			}
		}
		if (now) {
			closeTransport(code, reason);
		}
		else if (start) {
			drain(BATCH);
		}
	}

	/**
	 * Close at once, dropping what is queued: for a failed write, a peer that answers no
	 * heartbeat, or an orderly close that ran out of time. An orderly close keeps its own
	 * code and reason.
	 */
	private void abort(CloseCode close) {
		int closeWith;
		String closeFor;
		synchronized (this) {
			if (this.finished) {
				return;
			}
			if (!this.closed) {
				this.closed = true;
				this.closeCode = close.code();
				this.closeReason = close.reason();
			}
			closeWith = this.closeCode;
			closeFor = this.closeReason;
			finish();
		}
		closeTransport(closeWith, closeFor);
	}

	/**
	 * Evict the connection if its current write has been in progress longer than the
	 * limit, and end an orderly close whose grace period is over.
	 * @param limitNanos the send time limit
	 * @param now the current {@link System#nanoTime()}
	 */
	void check(long limitNanos, long now) {
		long started = this.writeStartedAt;
		if (started != 0 && now - started > limitNanos) {
			if (this.closed) {
				abort(CloseCode.CLOSING_SEND_TIME_LIMIT);
			}
			else {
				evict(LiveMetrics.SEND_TIME_LIMIT, CloseCode.SEND_TIME_LIMIT_EXCEEDED);
			}
			return;
		}
		long deadline = this.closeDeadline;
		if (deadline != 0 && now - deadline > 0) {
			abort(CloseCode.CLOSE_GRACE_PERIOD_EXCEEDED);
		}
	}

	/**
	 * Close with 4008 and unregister at once, dropping the queue; the close frame follows
	 * a write in progress, if the peer ever takes it.
	 */
	private void evict(String cause, CloseCode close) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			finish();
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Evicting connection " + getId() + ": " + close.reason());
		}
		this.metrics.evicted(cause);
		this.evicted.accept(this);
		closeTransport(close.code(), close.reason());
	}

	/**
	 * Close the transport on a closing thread, never on the caller's: the close frame is
	 * a blocking write in the Jakarta WebSocket API, which waits when the peer stopped
	 * reading and its socket buffers are full. The close frame gives up quickly on such a
	 * peer.
	 */
	private void closeTransport(int code, String reason) {
		this.transport.expediteClose();
		try {
			this.closer.execute(() -> this.transport.close(code, reason));
		}
		catch (RejectedExecutionException ex) {
			this.transport.close(code, reason);
		}
	}

	@Override
	public void released() {
		synchronized (this) {
			this.closed = true;
			if (!this.finished) {
				finish();
			}
		}
	}

	/** Guarded by {@code this}. */
	private void finish() {
		this.finished = true;
		this.closeDeadline = 0;
		this.metrics.framesDropped(LiveMetrics.CLOSED, this.queue.clear());
		if (this.pool != null) {
			this.pool.unwatch(this);
		}
	}

	@Override
	public void heard() {
		this.lastHeard = System.nanoTime();
	}

	@Override
	public void heartbeat(long now, long timeoutNanos, boolean ping) {
		if (this.closed) {
			return;
		}
		long pinged = this.pingSentAt;
		if (pinged != 0 && this.lastHeard - pinged < 0) {
			// A ping is unanswered.
			if (now - pinged >= timeoutNanos) {
				if (logger.isDebugEnabled()) {
					logger.debug("Connection " + getId() + " answered no heartbeat; closing it");
				}
				// Closed first: unregistering releases the connection.
				abort(CloseCode.HEARTBEAT_TIMEOUT);
				this.evicted.accept(this);
			}
			return;
		}
		if (!ping) {
			return;
		}
		synchronized (this) {
			if (this.writing || !this.ready || this.closed) {
				// A write in progress is watched by the send time limit instead.
				return;
			}
			this.writing = true;
		}
		this.pingSentAt = now;
		try {
			// The ping may block briefly: never on the scheduler's thread.
			this.executor.execute(() -> {
				this.transport.ping();
				drain(BATCH);
			});
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				this.writing = false;
			}
		}
	}

	@Override
	public synchronized long getQueuedBytes() {
		return this.queue.getBytes();
	}

	/**
	 * Told when one write completed, possibly before {@code send} returned: then the
	 * sending thread goes on with the next frame itself, rather than the callback
	 * recursing into the next write.
	 */
	private final class Write implements TransportSession.SendCallback {

		private final AtomicInteger state = new AtomicInteger();

		private @Nullable Throwable failure;

		@Override
		public void completed(@Nullable Throwable failure) {
			this.failure = failure;
			if (this.state.compareAndSet(0, 1)) {
				return;
			}
			// Completed later, on the container's thread, which continues the drain.
			if (written(failure)) {
				drain(BATCH);
			}
		}

		boolean completedBeforeReturn() {
			return !this.state.compareAndSet(0, 2);
		}

	}

}
