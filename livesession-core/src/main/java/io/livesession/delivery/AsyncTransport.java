package io.livesession.delivery;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.livesession.Frame;
import org.jspecify.annotations.Nullable;

/**
 * The transport as a {@link QueuedConnection} uses it, never blocking the caller: writes
 * whose completion may come before or after {@code send} returns, work (the next batch, a
 * ping) on the send executor, and closes on the closing threads.
 *
 * @author livesession
 */
final class AsyncTransport {

	private final TransportSession transport;

	private final Executor executor;

	private final Executor closer;

	AsyncTransport(TransportSession transport, Executor executor, Executor closer) {
		this.transport = transport;
		this.executor = executor;
		this.closer = closer;
	}

	boolean isOpen() {
		return this.transport.isOpen();
	}

	/**
	 * Start writing a frame.
	 * @param frame the frame
	 * @param completedLater told of a completion that comes after this method returned
	 * @return the write, to ask whether it completed already
	 */
	PendingWrite write(Frame frame, Consumer<@Nullable Throwable> completedLater) {
		PendingWrite write = new PendingWrite(completedLater);
		try {
			this.transport.send(frame, write);
		}
		catch (RuntimeException ex) {
			// Against the contract, but one connection must not fail its sender.
			write.completed(ex);
		}
		return write;
	}

	/**
	 * Run a task on the send executor.
	 * @param task the task
	 * @return {@code false} when the executor refused it (shutting down)
	 */
	boolean execute(Runnable task) {
		try {
			this.executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Ping on the send executor, then run a task there: the ping may block briefly, never
	 * on the scheduler's thread.
	 * @param then runs after the ping
	 * @return {@code false} when the executor refused it
	 */
	boolean ping(Runnable then) {
		return execute(() -> {
			this.transport.ping();
			then.run();
		});
	}

	/**
	 * Close the transport on a closing thread, never on the caller's: the close frame is
	 * a blocking write in the Jakarta WebSocket API, which waits when the peer stopped
	 * reading and its socket buffers are full. The close frame gives up quickly on such a
	 * peer.
	 * @param code the close code
	 * @param reason the reason
	 */
	void close(int code, String reason) {
		this.transport.expediteClose();
		try {
			this.closer.execute(() -> this.transport.close(code, reason));
		}
		catch (RejectedExecutionException ex) {
			this.transport.close(code, reason);
		}
	}

}
