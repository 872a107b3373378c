package io.livesession.redis;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.delivery.LocalDelivery;
import org.jspecify.annotations.Nullable;

/**
 * What this instance does with the messages of its delivery channel that arrive from
 * Redis: decode them and deliver them to the local connections of their target, except
 * its own raw broadcasts (delivered when they were published), with group {@code state}
 * frames in commit order ({@link GroupStateSequence}).
 *
 * <p>
 * A small delivery is made at once, on the thread that received the message (Lettuce's
 * event loop), when the subscription has nothing queued ({@link #receivedAtOnce}): the
 * hand-over to a receiver thread was one more thread wake-up on the path of an action's
 * {@code state} frame to the other instances, and on two shared cores the wake-ups, not
 * Redis, set the 99th percentile of that round trip (docs/benchmarks.md, P5). Only what
 * cannot wait is done there: at most {@value #AT_ONCE} connections, and each only if it
 * is idle ({@link io.livesession.delivery.ManagedConnection#sendIfIdle}). A busy
 * connection may have to coalesce the frame with the group's full state, read from Redis
 * with a blocking call, which on the event loop could wait for the very thread that must
 * read its answer; such work goes to the receiver thread, in order with the later
 * messages.
 *
 * @author livesession
 */
final class DeliveryArrivals {

	/** The most local connections a message is delivered to on the receiving thread. */
	static final int AT_ONCE = 16;

	private final TargetCodec codec;

	private final String instanceId;

	private final LocalDelivery local;

	private final GroupStateSequence states;

	private final Function<String, Frame> fullState;

	private final Predicate<Frame> logged;

	private final AtomicLong count = new AtomicLong();

	/**
	 * Create the arrivals of a channel.
	 * @param codec decodes the messages
	 * @param instanceId this instance's id
	 * @param local delivery to this instance's connections
	 * @param fullState a group's current full-state frame, for coalescing
	 * @param logged whether a frame is a publication of a topic's log, which this
	 * instance delivers when it comes back, like every other instance
	 */
	DeliveryArrivals(TargetCodec codec, String instanceId, LocalDelivery local, Function<String, Frame> fullState,
			Predicate<Frame> logged) {
		this.codec = codec;
		this.instanceId = instanceId;
		this.local = local;
		this.states = new GroupStateSequence(local);
		this.fullState = fullState;
		this.logged = logged;
	}

	/**
	 * Handle a message on a receiver thread.
	 * @param message the message
	 */
	void received(String message) {
		this.count.incrementAndGet();
		TargetCodec.Decoded decoded = this.codec.decode(message, this.fullState);
		Frame frame = decoded.frame();
		boolean own = this.instanceId.equals(decoded.origin());
		if (!this.states.received(decoded.target(), own, frame) && isDelivered(own, frame)) {
			this.local.deliver(decoded.target(), frame);
		}
	}

	/**
	 * Handle a message on the thread that received it, which must not wait.
	 * @param message the message
	 * @return what is left for a receiver thread, or {@code null}
	 */
	@Nullable Runnable receivedAtOnce(String message) {
		this.count.incrementAndGet();
		TargetCodec.Decoded decoded = this.codec.decode(message, this.fullState);
		Frame frame = decoded.frame();
		BroadcastTarget target = decoded.target();
		boolean own = this.instanceId.equals(decoded.origin());
		if (GroupStateSequence.isGroupState(target, frame)) {
			return this.states.receivedAtOnce(target, own, frame);
		}
		if (!isDelivered(own, frame)) {
			return null;
		}
		return deliverAtOnce(this.local, target, frame);
	}

	/**
	 * Deliver a frame to the idle connections of a small target at once.
	 * @param local the local delivery
	 * @param target the target
	 * @param frame the frame
	 * @return the rest, for a receiver thread, or {@code null} when nothing is left
	 */
	static @Nullable Runnable deliverAtOnce(LocalDelivery local, BroadcastTarget target, Frame frame) {
		List<LiveConnection> busy = local.deliverIfIdle(target, frame, AT_ONCE);
		if (busy == null) {
			return () -> local.deliver(target, frame);
		}
		return busy.isEmpty() ? null : () -> busy.forEach((connection) -> connection.send(frame));
	}

	private boolean isDelivered(boolean own, Frame frame) {
		return !own || frame.isState() || this.logged.test(frame);
	}

	GroupStateSequence states() {
		return this.states;
	}

	long count() {
		return this.count.get();
	}

}
