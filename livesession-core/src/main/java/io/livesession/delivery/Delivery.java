package io.livesession.delivery;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.livesession.Broadcaster;
import io.livesession.metrics.BroadcastObservationConvention;
import io.livesession.metrics.LiveMetrics;
import io.livesession.topic.TopicLog;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Factory methods for delivery components.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class Delivery {

	private Delivery() {
	}

	/**
	 * A broadcaster that encodes each payload once and publishes it on the channel.
	 * @param mapper the JSON mapper for object payloads
	 * @param channel the channel
	 * @return the broadcaster
	 */
	public static Broadcaster broadcaster(JsonMapper mapper, DeliveryChannel channel) {
		return broadcaster(mapper, channel, ObservationRegistry.NOOP);
	}

	/**
	 * A broadcaster that encodes each payload once, publishes it on the channel and
	 * observes each broadcast ({@code livesession.broadcast}).
	 * @param mapper the JSON mapper for object payloads
	 * @param channel the channel
	 * @param observations the observation registry
	 * @return the broadcaster
	 */
	public static Broadcaster broadcaster(JsonMapper mapper, DeliveryChannel channel,
			ObservationRegistry observations) {
		return broadcaster(mapper, channel, observations, null);
	}

	/**
	 * A broadcaster that encodes each payload once, publishes it on the channel and
	 * observes each broadcast with a convention of the application's.
	 * @param mapper the JSON mapper for object payloads
	 * @param channel the channel
	 * @param observations the observation registry
	 * @param convention names and tags the observations, or {@code null} for the
	 * {@link io.livesession.metrics.DefaultBroadcastObservationConvention default} one
	 * @return the broadcaster
	 * @since 0.1.0
	 */
	public static Broadcaster broadcaster(JsonMapper mapper, DeliveryChannel channel, ObservationRegistry observations,
			@Nullable BroadcastObservationConvention convention) {
		return new ChannelBroadcaster(mapper, channel, observations, convention, null);
	}

	/**
	 * A broadcaster that encodes each payload once, publishes it on the channel, keeps
	 * the publications of recoverable topics in their log, and observes each broadcast.
	 * @param mapper the JSON mapper for object payloads
	 * @param channel the channel
	 * @param observations the observation registry
	 * @param convention names and tags the observations, or {@code null} for the default
	 * one
	 * @param log the history of recoverable topics, or {@code null} for none
	 * @return the broadcaster
	 * @since 0.1.0
	 */
	public static Broadcaster broadcaster(JsonMapper mapper, DeliveryChannel channel, ObservationRegistry observations,
			@Nullable BroadcastObservationConvention convention, @Nullable TopicLog log) {
		return new ChannelBroadcaster(mapper, channel, observations, convention, log);
	}

	/**
	 * A connection with a bounded outbound queue drained on the executor.
	 * @param info the connection's identity
	 * @param transport the transport
	 * @param executor runs the writes
	 * @param sendBufferSizeLimit bytes that may be queued before the connection is closed
	 * with 4008
	 * @return the connection, without a send time limit
	 */
	public static ManagedConnection connection(ConnectionInfo info, TransportSession transport, Executor executor,
			long sendBufferSizeLimit) {
		// Closes run on the caller's thread; an orderly close waits for the queue.
		return new QueuedConnection(info, new AsyncTransport(transport, executor, Runnable::run), sendBufferSizeLimit,
				Long.MAX_VALUE, LiveMetrics.NONE, (connection) -> {
				}, null);
	}

	/**
	 * A connection with a bounded outbound queue drained on the pool, whose writes the
	 * pool's watchdog holds to its send time limit.
	 * @param info the connection's identity
	 * @param transport the transport
	 * @param pool runs the writes and enforces the send time limit
	 * @param sendBufferSizeLimit bytes that may be queued before the connection is closed
	 * with 4008
	 * @param metrics what to report to
	 * @param evicted called once when the connection is evicted (closed with 4008), to
	 * unregister it at once rather than when the transport has finished closing
	 * @return the connection
	 */
	public static ManagedConnection connection(ConnectionInfo info, TransportSession transport, SendPool pool,
			long sendBufferSizeLimit, LiveMetrics metrics, Consumer<? super ManagedConnection> evicted) {
		return new QueuedConnection(info, new AsyncTransport(transport, pool.getExecutor(), pool.getCloser()),
				sendBufferSizeLimit, pool.getCloseGracePeriod().toNanos(), metrics, evicted, pool);
	}

}
