package io.livesession.delivery;

import java.util.function.Consumer;

import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogMessage;
import org.springframework.util.Assert;

/**
 * A connection with its own bounded outbound queue and non-blocking writes, so that a
 * sender (a broadcast, a state push) never waits on the network and no thread ever waits
 * on a peer: a stalled peer costs its bounded buffer, never a thread.
 *
 * <p>
 * A sender that finds the connection idle writes on its own thread; the container's
 * asynchronous write usually completes at once (the socket buffer takes the frame).
 * Otherwise the frame is queued, and the thread that completes the write in progress (the
 * container's) writes the next ones, up to {@value #BATCH} per completion, then hands the
 * rest to the pool's executor (why not blocking writes on a pool, nor Spring's
 * {@code ConcurrentWebSocketSessionDecorator}: docs/architecture.md). Nothing that can
 * wait, such as reading a group's full state, runs under this connection's monitor.
 *
 * <p>
 * A connection that cannot keep up is evicted: closed with 4008 at once and unregistered,
 * when its queue exceeds the send buffer limit (checked by the sender) or when one write
 * has been in progress longer than the send time limit (checked by the {@link SendPool}'s
 * watchdog). Any other close is orderly: the frames already queued go out first, within
 * {@link SendPool#getCloseGracePeriod() a grace period}, then the close frame. Closing
 * never waits for the network: the transport is closed on the pool's closing threads.
 *
 * @author livesession
 */
final class QueuedConnection extends ConnectionBase implements ManagedConnection {

	private static final Log logger = LogFactory.getLog(QueuedConnection.class);

	/** Frames written per completion, so that one busy connection cannot hog a thread. */
	static final int BATCH = 64;

	private final AsyncTransport transport;

	private final long sendBufferSizeLimit;

	private final LiveMetrics metrics;

	private final Consumer<? super ManagedConnection> evicted;

	private final @Nullable SendPool pool;

	/** Guarded by {@code this}. */
	private final OutboundQueue queue;

	private boolean ready;

	/** Whether a write (or ping) is in progress or a thread is about to start one. */
	private boolean writing;

	private final CloseState closing = new CloseState();

	private final ConnectionClock clock;

	/**
	 * Create a connection; {@link Delivery} makes them.
	 * @param closeGraceNanos the longest an orderly close waits for the queue
	 * @param pool the pool whose watchdog holds writes to the send time limit, or
	 * {@code null} for none
	 */
	QueuedConnection(ConnectionInfo info, AsyncTransport transport, long sendBufferSizeLimit, long closeGraceNanos,
			LiveMetrics metrics, Consumer<? super ManagedConnection> evicted, @Nullable SendPool pool) {
		super(info);
		this.transport = transport;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
		this.clock = new ConnectionClock(closeGraceNanos);
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
		return !this.closing.isStarted() && this.transport.isOpen();
	}

	@Override
	public boolean isClosing() {
		// Set at the start of close(), evict() and released(), before the close frame.
		return this.closing.isStarted() || !this.transport.isOpen();
	}

	@Override
	public boolean send(Frame frame) {
		Assert.notNull(frame, "'frame' must not be null");
		Boolean sent = send(frame, false, null);
		// A coalesce needs the group's full state, which may be read from Redis: read
		// off this monitor, which threads that must not wait take too (sendIfIdle).
		return (sent != null) ? sent : send(frame, false, frame.toFullState()) == Boolean.TRUE;
	}

	@Override
	public boolean sendIfIdle(Frame frame) {
		return send(frame, true, null) == Boolean.TRUE;
	}

	/** Whether the frame was taken, or {@code null} when it needs its full state. */
	private @Nullable Boolean send(Frame frame, boolean ifIdle, @Nullable Frame full) {
		boolean overflow;
		long queued;
		synchronized (this) {
			if (this.closing.isStarted() || (ifIdle && (!this.ready || this.writing || !this.queue.isEmpty()))) {
				return false;
			}
			int offered = this.queue.offer(frame, this.ready, full);
			if (offered == OutboundQueue.NEEDS_FULL_STATE) {
				return null;
			}
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
			if (this.closing.isStarted()) {
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
				if (this.closing.isFinished()) {
					this.writing = false;
					return;
				}
				if (this.queue.isEmpty()) {
					this.writing = false;
					if (!this.closing.isStarted()) {
						return;
					}
					// An orderly close: everything queued has gone out.
					finish();
					finishClose = true;
				}
				else if (left > 0) {
					frame = this.queue.poll();
					this.clock.writeStarted();
				}
			}
			if (finishClose) {
				this.transport.close(this.closing.code(), this.closing.reason());
				return;
			}
			if (frame == null) {
				// More queued: yield this thread and continue on the executor.
				handOff();
				return;
			}
			PendingWrite write = this.transport.write(frame, this::writtenLater);
			if (!write.completedBeforeReturn()) {
				// Still in progress: its completion continues the drain.
				return;
			}
			if (!written(write.failure())) {
				return;
			}
			left--;
		}
	}

	private void handOff() {
		if (!this.transport.execute(() -> drain(BATCH))) {
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
		this.clock.writeEnded();
		if (failure == null) {
			this.metrics.frameSent();
			return true;
		}
		boolean report;
		synchronized (this) {
			this.writing = false;
			report = !this.closing.isFinished();
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

	/** A write completed after {@code send} returned, on the container's thread. */
	private void writtenLater(@Nullable Throwable failure) {
		if (written(failure)) {
			drain(BATCH);
		}
	}

	@Override
	public void close(int code, String reason) {
		boolean now;
		boolean start = false;
		synchronized (this) {
			if (!this.closing.start(code, reason)) {
				return;
			}
			now = !this.ready || (!this.writing && this.queue.isEmpty());
			if (now) {
				finish();
			}
			else {
				this.clock.closeWithin();
				start = !this.writing;
				this.writing = true;
			}
		}
		if (now) {
			this.transport.close(code, reason);
		}
		else if (start) {
			drain(BATCH);
		}
	}

	/**
	 * Close at once, dropping what is queued (a failed write, an unanswered heartbeat, an
	 * orderly close out of time); an orderly close keeps its own code and reason.
	 */
	private void abort(CloseCode close) {
		synchronized (this) {
			if (this.closing.isFinished()) {
				return;
			}
			this.closing.start(close.code(), close.reason());
			finish();
		}
		this.transport.close(this.closing.code(), this.closing.reason());
	}

	/**
	 * Evict the connection if its current write has been in progress longer than the
	 * limit, and end an orderly close whose grace period is over.
	 * @param limitNanos the send time limit
	 * @param now the current {@link System#nanoTime()}
	 */
	void check(long limitNanos, long now) {
		switch (this.clock.overdue(limitNanos, now)) {
			case WRITE -> {
				if (this.closing.isStarted()) {
					abort(CloseCode.CLOSING_SEND_TIME_LIMIT);
				}
				else {
					evict(LiveMetrics.SEND_TIME_LIMIT, CloseCode.SEND_TIME_LIMIT_EXCEEDED);
				}
			}
			case CLOSE -> abort(CloseCode.CLOSE_GRACE_PERIOD_EXCEEDED);
			case NONE -> {
			}
		}
	}

	/**
	 * Close with 4008 and unregister at once, dropping the queue; the close frame follows
	 * a write in progress, if the peer ever takes it.
	 */
	private void evict(String cause, CloseCode close) {
		synchronized (this) {
			if (!this.closing.start(close.code(), close.reason())) {
				return;
			}
			finish();
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Evicting connection " + getId() + ": " + close.reason());
		}
		this.metrics.evicted(cause);
		this.evicted.accept(this);
		this.transport.close(close.code(), close.reason());
	}

	@Override
	public void released() {
		synchronized (this) {
			this.closing.started();
			if (!this.closing.isFinished()) {
				finish();
			}
		}
	}

	/** Guarded by {@code this}. */
	private void finish() {
		this.closing.finish();
		this.clock.closeEnded();
		this.metrics.framesDropped(LiveMetrics.CLOSED, this.queue.clear());
		if (this.pool != null) {
			this.pool.unwatch(this);
		}
	}

	@Override
	public void heard() {
		this.clock.heard();
	}

	@Override
	public void heartbeat(long now, long timeoutNanos, boolean ping) {
		if (this.closing.isStarted()) {
			return;
		}
		ConnectionClock.Liveness liveness = this.clock.liveness(now, timeoutNanos);
		if (liveness == ConnectionClock.Liveness.DEAD) {
			logger.debug(LogMessage.format("Connection %s answered no heartbeat; closing it", getId()));
			// Closed first: unregistering releases the connection.
			abort(CloseCode.HEARTBEAT_TIMEOUT);
			this.evicted.accept(this);
		}
		if (liveness != ConnectionClock.Liveness.ANSWERED || !ping) {
			return;
		}
		synchronized (this) {
			if (this.writing || !this.ready || this.closing.isStarted()) {
				// A write in progress is watched by the send time limit instead.
				return;
			}
			this.writing = true;
		}
		this.clock.pinged(now);
		if (!this.transport.ping(() -> drain(BATCH))) {
			synchronized (this) {
				this.writing = false;
			}
		}
	}

	@Override
	public synchronized long getQueuedBytes() {
		return this.queue.getBytes();
	}

}
