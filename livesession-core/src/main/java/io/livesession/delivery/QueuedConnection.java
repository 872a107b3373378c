package io.livesession.delivery;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.livesession.Frame;
import io.livesession.metrics.LiveMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A connection with its own bounded outbound queue, drained on a shared executor, so a
 * sender (a broadcast, a state push) only ever enqueues and never waits on the network. A
 * connection that cannot keep up is evicted: closed with 4008 and unregistered, when its
 * queue exceeds the send buffer limit (checked by the sender) or when one write has been
 * blocked longer than the send time limit (checked by the {@link SendPool}'s watchdog,
 * which also interrupts the stuck write to free its thread). Closing never waits for the
 * network: the transport is closed on the pool's closing threads.
 *
 * <p>
 * Spring's {@code ConcurrentWebSocketSessionDecorator} is not used: it writes on the
 * caller's thread, so a broadcast would wait for the first recipient's socket, and it
 * checks its time and buffer limits only when a second sender contends for the session,
 * so a single stuck write is never timed out; nor does it coalesce state.
 *
 * @author livesession
 */
final class QueuedConnection implements ManagedConnection {

	private static final Log logger = LogFactory.getLog(QueuedConnection.class);

	/** Frames written per executor task, so one busy connection cannot hog a thread. */
	private static final int BATCH = 64;

	private final ConnectionInfo info;

	private final TransportSession transport;

	private final Executor executor;

	private final Executor closer;

	private final long sendBufferSizeLimit;

	private final LiveMetrics metrics;

	private final Consumer<? super ManagedConnection> evicted;

	private final @Nullable SendPool pool;

	private volatile @Nullable Map<String, Object> attributes;

	/** Frames and {@link StateSlot}s, guarded by {@code this}. */
	private final ArrayDeque<Object> queue = new ArrayDeque<>();

	/** The queued, unsent state slot that later state frames coalesce into. */
	private @Nullable StateSlot pendingState;

	/** The newest group version queued for the client, guarded by {@code this}. */
	private long stateVersion = -1;

	private long queuedBytes;

	private boolean ready;

	private boolean draining;

	private volatile boolean closed;

	/** The thread writing to the transport right now, guarded by {@code this}. */
	private @Nullable Thread writer;

	/** When the current write started ({@link System#nanoTime()}), 0 when idle. */
	private volatile long writeStartedAt;

	/**
	 * A connection without a send time limit whose closes run on the caller's thread.
	 */
	QueuedConnection(ConnectionInfo info, TransportSession transport, Executor executor, long sendBufferSizeLimit) {
		this(info, transport, executor, Runnable::run, sendBufferSizeLimit, LiveMetrics.NONE, (connection) -> {
		}, null);
	}

	/**
	 * A connection watched by the pool's watchdog.
	 */
	QueuedConnection(ConnectionInfo info, TransportSession transport, SendPool pool, long sendBufferSizeLimit,
			LiveMetrics metrics, Consumer<? super ManagedConnection> evicted) {
		this(info, transport, pool.getExecutor(), pool.getCloser(), sendBufferSizeLimit, metrics, evicted, pool);
	}

	private QueuedConnection(ConnectionInfo info, TransportSession transport, Executor executor, Executor closer,
			long sendBufferSizeLimit, LiveMetrics metrics, Consumer<? super ManagedConnection> evicted,
			@Nullable SendPool pool) {
		this.info = info;
		this.transport = transport;
		this.executor = executor;
		this.closer = closer;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
		this.metrics = metrics;
		this.evicted = evicted;
		this.pool = pool;
		if (pool != null) {
			pool.watch(this);
		}
	}

	@Override
	public String getId() {
		return this.info.id();
	}

	@Override
	public @Nullable String getUserId() {
		return this.info.userId();
	}

	@Override
	public String getGroupId() {
		return this.info.groupId();
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return this.info.principal();
	}

	@Override
	public Set<String> getAuthorities() {
		return this.info.authorities();
	}

	@Override
	public @Nullable String getHttpSessionId() {
		return this.info.httpSessionId();
	}

	@Override
	public Instant getOpenedAt() {
		return this.info.openedAt();
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
	public @Nullable Object getAttribute(String name) {
		Map<String, Object> values = this.attributes;
		return (values != null) ? values.get(name) : null;
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (value == null) {
			removeAttribute(name);
			return;
		}
		attributes().put(name, value);
	}

	@Override
	public @Nullable Object removeAttribute(String name) {
		Map<String, Object> values = this.attributes;
		return (values != null) ? values.remove(name) : null;
	}

	@Override
	public Set<String> getAttributeNames() {
		Map<String, Object> values = this.attributes;
		return (values != null) ? Set.copyOf(values.keySet()) : Set.of();
	}

	private Map<String, Object> attributes() {
		Map<String, Object> values = this.attributes;
		if (values == null) {
			synchronized (this) {
				values = this.attributes;
				if (values == null) {
					values = new ConcurrentHashMap<>(4);
					this.attributes = values;
				}
			}
		}
		return values;
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
			if (frame.isState()) {
				if (!this.ready) {
					// The greeting will carry this state.
					this.metrics.framesDropped(LiveMetrics.STALE, 1);
					return true;
				}
				if (!frame.isFullState() && frame.getStateVersion() <= this.stateVersion) {
					// Already covered by the greeting or an earlier frame: frames from
					// other instances can arrive after a greeting that includes them.
					this.metrics.framesDropped(LiveMetrics.STALE, 1);
					return true;
				}
				this.stateVersion = frame.getStateVersion();
				if (this.pendingState != null) {
					// Lagging: the unsent state becomes the latest full state, so the
					// client gets the newest version rather than every intermediate
					// change.
					this.pendingState.coalesce(frame);
					this.metrics.framesDropped(LiveMetrics.COALESCED, 1);
					this.metrics.frameQueued(this.queuedBytes);
					return true;
				}
				this.pendingState = new StateSlot(frame);
				this.queue.add(this.pendingState);
			}
			else {
				this.queue.add(frame);
			}
			this.queuedBytes += frame.getSize();
			queued = this.queuedBytes;
			overflow = this.queuedBytes > this.sendBufferSizeLimit;
			if (!overflow && (!this.ready || this.draining)) {
				this.metrics.frameQueued(queued);
				return true;
			}
			this.draining = !overflow || this.draining;
		}
		this.metrics.frameQueued(queued);
		if (overflow) {
			evict(LiveMetrics.SEND_BUFFER_SIZE_LIMIT, "send buffer limit exceeded", false);
			return false;
		}
		schedule();
		return true;
	}

	@Override
	public void open(Frame greeting, long stateVersion) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.stateVersion = stateVersion;
			this.queue.addFirst(greeting);
			this.queuedBytes += greeting.getSize();
			this.ready = true;
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		schedule();
	}

	private void schedule() {
		try {
			this.executor.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			close(1001, "shutting down");
		}
	}

	private void drain() {
		for (int i = 0; i < BATCH; i++) {
			Frame frame;
			synchronized (this) {
				Object entry = this.queue.poll();
				if (entry == null || this.closed) {
					this.draining = false;
					return;
				}
				if (entry instanceof StateSlot slot) {
					frame = slot.frame;
					if (this.pendingState == slot) {
						this.pendingState = null;
					}
				}
				else {
					frame = (Frame) entry;
				}
				this.queuedBytes -= frame.getSize();
				// Taken with the frame, under the same lock as closing: a close either
				// sees this write or happens before it and stops it.
				this.writer = Thread.currentThread();
				this.writeStartedAt = System.nanoTime() | 1;
			}
			try {
				this.transport.send(frame);
				this.metrics.frameSent();
			}
			catch (Exception ex) {
				if (!this.closed) {
					if (logger.isDebugEnabled()) {
						logger.debug("Send to connection " + getId() + " failed; closing it", ex);
					}
					this.metrics.sendFailed();
					close(1011, "send failed");
				}
				return;
			}
			finally {
				synchronized (this) {
					this.writer = null;
					this.writeStartedAt = 0;
					if (this.closed && this.pool != null) {
						// Watched until its last write ended, see markClosed().
						this.pool.unwatch(this);
					}
				}
				// An eviction may have interrupted this write just as it completed:
				// the pool thread moves on clean.
				Thread.interrupted();
			}
		}
		// More queued: yield the thread to other connections and continue later.
		schedule();
	}

	@Override
	public void close(int code, String reason) {
		synchronized (this) {
			if (!markClosed()) {
				return;
			}
		}
		this.metrics.closed(code);
		closeTransport(code, reason);
	}

	/**
	 * Evict the connection if its current write has been blocked longer than the limit,
	 * and interrupt that write. A write still stuck after the connection was closed for
	 * another reason is interrupted too.
	 * @param limitNanos the send time limit
	 * @param now the current {@link System#nanoTime()}
	 */
	void evictIfBlockedLongerThan(long limitNanos, long now) {
		long started = this.writeStartedAt;
		if (started == 0 || now - started <= limitNanos) {
			return;
		}
		boolean alreadyClosed;
		Thread blocked;
		synchronized (this) {
			if (this.writeStartedAt != started) {
				return;
			}
			alreadyClosed = this.closed;
			blocked = this.writer;
		}
		if (!alreadyClosed) {
			evict(LiveMetrics.SEND_TIME_LIMIT, "send time limit exceeded", true);
		}
		else if (blocked != null) {
			interrupt(blocked);
		}
	}

	/**
	 * Close with 4008 and unregister at once, without waiting for a write in progress.
	 * The close frame follows that write.
	 * @param interruptWrite whether the write in progress is stuck and is interrupted,
	 * which makes the container fail it and frees the send thread; the client then gets
	 * no intact close frame, but it was not reading anyway
	 */
	private void evict(String cause, String reason, boolean interruptWrite) {
		Thread blocked;
		synchronized (this) {
			if (!markClosed()) {
				return;
			}
			blocked = this.writer;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Evicting connection " + getId() + ": " + reason);
		}
		this.metrics.evicted(cause);
		this.metrics.closed(4008);
		this.evicted.accept(this);
		closeTransport(4008, reason);
		if (interruptWrite && blocked != null) {
			interrupt(blocked);
		}
	}

	/**
	 * Close the transport on a closing thread, never on the caller's: even with no write
	 * in progress, the close frame blocks when the peer stopped reading and its socket
	 * buffers are full. The close frame gives up quickly on such a peer.
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

	private void interrupt(Thread blocked) {
		synchronized (this) {
			// Only while it still writes to this connection: the pool thread moves on.
			if (this.writer == blocked) {
				blocked.interrupt();
			}
		}
	}

	@Override
	public void released() {
		synchronized (this) {
			markClosed();
		}
	}

	/** Guarded by {@code this}. */
	private boolean markClosed() {
		if (this.closed) {
			return false;
		}
		this.closed = true;
		this.metrics.framesDropped(LiveMetrics.CLOSED, this.queue.size());
		this.queue.clear();
		this.pendingState = null;
		this.queuedBytes = 0;
		if (this.pool != null && this.writer == null) {
			// A write in progress stays watched: if it is stuck, the watchdog frees its
			// thread.
			this.pool.unwatch(this);
		}
		return true;
	}

	@Override
	public synchronized long getQueuedBytes() {
		return this.queuedBytes;
	}

	/**
	 * A queue position for group state; later state frames replace its content.
	 */
	private final class StateSlot {

		private Frame frame;

		StateSlot(Frame frame) {
			this.frame = frame;
		}

		/** Guarded by the connection's lock. */
		void coalesce(Frame next) {
			if (next.getStateVersion() >= this.frame.getStateVersion()) {
				Frame full = next.toFullState();
				QueuedConnection.this.queuedBytes += full.getSize() - this.frame.getSize();
				QueuedConnection.this.stateVersion = Math.max(QueuedConnection.this.stateVersion,
						full.getStateVersion());
				this.frame = full;
			}
		}

	}

	@Override
	public String toString() {
		return "LiveConnection[" + getId() + ", group " + getGroupId() + ", user " + getUserId() + "]";
	}

}
