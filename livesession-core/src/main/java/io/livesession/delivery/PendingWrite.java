package io.livesession.delivery;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One write of a {@link QueuedConnection}, told when it completed, possibly before
 * {@code send} returned: then the sending thread goes on with the next frame itself,
 * rather than the callback recursing into the next write; a later completion, on the
 * container's thread, is handed to {@code completedLater}, which continues the drain.
 *
 * @author livesession
 */
final class PendingWrite implements TransportSession.SendCallback {

	private final AtomicInteger state = new AtomicInteger();

	private final Consumer<@Nullable Throwable> completedLater;

	private @Nullable Throwable failure;

	PendingWrite(Consumer<@Nullable Throwable> completedLater) {
		this.completedLater = completedLater;
	}

	@Override
	public void completed(@Nullable Throwable failure) {
		this.failure = failure;
		if (this.state.compareAndSet(0, 1)) {
			return;
		}
		this.completedLater.accept(failure);
	}

	/**
	 * Whether the write completed before the sending thread asked: called once, by that
	 * thread, after {@code send} returned.
	 * @return {@code true} when the sender goes on itself
	 */
	boolean completedBeforeReturn() {
		return !this.state.compareAndSet(0, 2);
	}

	/**
	 * The failure of a write that completed before return.
	 * @return the failure, or {@code null} when written
	 */
	@Nullable Throwable failure() {
		return this.failure;
	}

}
