package io.livesession.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.livesession.ConnectionRegistry;
import io.livesession.Presence;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link LiveMetrics} in a Micrometer {@link MeterRegistry}, with gauges of connections,
 * groups and users. Every meter is registered up front, so each one is visible (at 0)
 * before anything happened.
 *
 * <p>
 * Meters, all named under {@code livesession.}:
 * <ul>
 * <li>{@code livesession.connections}, {@code livesession.groups},
 * {@code livesession.users}: gauges tagged {@code scope=instance}, plus
 * {@code scope=cluster} when {@link Presence#isClusterWide() presence spans the
 * cluster}</li>
 * <li>{@code livesession.frames.sent}: frames written to connections</li>
 * <li>{@code livesession.frames.dropped}: frames never written, tagged
 * {@code reason=coalesced|stale|closed}</li>
 * <li>{@code livesession.send.failures}: writes that failed (closed with 1011)</li>
 * <li>{@code livesession.evictions}: connections closed with 4008, tagged
 * {@code reason=send-buffer-size-limit|send-time-limit}</li>
 * <li>{@code livesession.revocations}: connections revoked (closed with 1008
 * {@code revoked}; a rate-limit close is not one)</li>
 * <li>{@code livesession.refusals}: handshakes, actions and frames refused by a limit,
 * tagged
 * {@code limit=user|browser|address|instance|new-groups|group-size|sync-bytes}</li>
 * <li>{@code livesession.send.buffer}: distribution of a connection's queued bytes, taken
 * each time a frame is queued</li>
 * </ul>
 *
 * @author livesession
 * @since 0.1.0
 */
public final class MicrometerLiveMetrics implements LiveMetrics {

	private final Counter framesSent;

	private final Map<String, Counter> framesDropped;

	private final Counter sendFailures;

	private final Map<String, Counter> evictions;

	private final Counter revocations;

	private final DistributionSummary sendBuffer;

	private final Map<String, Counter> refusals;

	/**
	 * Register the meters.
	 * @param meters the meter registry
	 * @param registry this instance's connections
	 * @param presence presence, for the cluster gauges when it is cluster-wide
	 */
	public MicrometerLiveMetrics(MeterRegistry meters, ConnectionRegistry registry, Presence presence) {
		gauge(meters, "livesession.connections", "Open live connections", "instance", registry,
				ConnectionRegistry::getConnectionCount);
		gauge(meters, "livesession.groups", "Session groups with an open connection", "instance", registry,
				ConnectionRegistry::getGroupCount);
		gauge(meters, "livesession.users", "Users with an open connection", "instance", registry,
				ConnectionRegistry::getUserCount);
		if (presence.isClusterWide()) {
			gauge(meters, "livesession.connections", "Open live connections", "cluster", presence,
					Presence::getConnectionCount);
			gauge(meters, "livesession.groups", "Session groups with an open connection", "cluster", presence,
					Presence::getGroupCount);
			gauge(meters, "livesession.users", "Users with an open connection", "cluster", presence,
					Presence::getUserCount);
		}
		this.framesSent = Counter.builder("livesession.frames.sent")
			.description("Frames written to live connections")
			.register(meters);
		this.framesDropped = Map.of(COALESCED, dropped(meters, COALESCED), STALE, dropped(meters, STALE), CLOSED,
				dropped(meters, CLOSED));
		this.sendFailures = Counter.builder("livesession.send.failures")
			.description("Writes to live connections that failed")
			.register(meters);
		this.evictions = Map.of(SEND_BUFFER_SIZE_LIMIT, eviction(meters, SEND_BUFFER_SIZE_LIMIT), SEND_TIME_LIMIT,
				eviction(meters, SEND_TIME_LIMIT));
		this.revocations = Counter.builder("livesession.revocations")
			.description("Live connections closed because their session was revoked (1008)")
			.register(meters);
		this.sendBuffer = DistributionSummary.builder("livesession.send.buffer")
			.description("Bytes queued for a live connection, each time a frame is queued")
			.baseUnit("bytes")
			.register(meters);
		Map<String, Counter> refusals = new HashMap<>();
		for (String limit : List.of(LIMIT_USER, LIMIT_BROWSER, LIMIT_ADDRESS, LIMIT_INSTANCE, LIMIT_NEW_GROUPS,
				LIMIT_GROUP_SIZE, LIMIT_SYNC_BYTES)) {
			refusals.put(limit,
					Counter.builder("livesession.refusals")
						.description("Handshakes, actions and frames refused by a limit")
						.tag("limit", limit)
						.register(meters));
		}
		this.refusals = Map.copyOf(refusals);
	}

	private static <T> void gauge(MeterRegistry meters, String name, String description, String scope, T source,
			ToDoubleFunction<T> value) {
		Gauge.builder(name, source, value).description(description).tag("scope", scope).register(meters);
	}

	private static Counter dropped(MeterRegistry meters, String reason) {
		return Counter.builder("livesession.frames.dropped")
			.description("Frames discarded without being written")
			.tag("reason", reason)
			.register(meters);
	}

	private static Counter eviction(MeterRegistry meters, String reason) {
		return Counter.builder("livesession.evictions")
			.description("Live connections closed with 4008 because they could not keep up")
			.tag("reason", reason)
			.register(meters);
	}

	@Override
	public void frameQueued(long queuedBytes) {
		this.sendBuffer.record(queuedBytes);
	}

	@Override
	public void frameSent() {
		this.framesSent.increment();
	}

	@Override
	public void framesDropped(String reason, int count) {
		if (count > 0) {
			increment(this.framesDropped, reason, count);
		}
	}

	@Override
	public void sendFailed() {
		this.sendFailures.increment();
	}

	@Override
	public void evicted(String reason) {
		increment(this.evictions, reason, 1);
	}

	@Override
	public void revoked() {
		this.revocations.increment();
	}

	@Override
	public void refused(String limit) {
		increment(this.refusals, limit, 1);
	}

	/**
	 * Count under a tag value registered up front; others are ignored rather than
	 * registered, to bound the tag's values.
	 */
	private static void increment(Map<String, Counter> counters, String tagValue, int count) {
		Counter counter = counters.get(tagValue);
		if (counter != null) {
			counter.increment(count);
		}
	}

}
