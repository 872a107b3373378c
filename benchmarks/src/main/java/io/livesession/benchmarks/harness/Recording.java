package io.livesession.benchmarks.harness;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import io.livesession.benchmarks.ServerStats;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What the clients received during one measurement: delivery latencies (epoch
 * microseconds from the server's stamp to arrival), delivery counts and frames that
 * reached a client outside their target.
 *
 * @author livesession
 */
final class Recording implements Client.Sink {

	final Histogram latency = new ConcurrentHistogram(600_000_000L, 3);

	/** Latencies of the clients {@link #second} selects (e.g. across instances). */
	final Histogram secondLatency = new ConcurrentHistogram(600_000_000L, 3);

	final LongAdder deliveries = new LongAdder();

	final LongAdder violations = new LongAdder();

	final Set<Client> warmed = ConcurrentHashMap.newKeySet();

	final Map<String, LongAdder> byTarget = new ConcurrentHashMap<>();

	/**
	 * Only frames for this target are measured; {@code null} measures all but warm-ups.
	 */
	volatile @Nullable String focus;

	volatile @Nullable Predicate<Client> ignore;

	volatile @Nullable Predicate<Client> second;

	@Override
	public void broadcast(Client client, long sentMicros, String target) {
		if (!client.accepts(target)) {
			this.violations.increment();
			return;
		}
		if (target.equals("warm")) {
			this.warmed.add(client);
			return;
		}
		this.byTarget.computeIfAbsent(target, (key) -> new LongAdder()).increment();
		String focus = this.focus;
		Predicate<Client> ignore = this.ignore;
		if ((focus != null && !focus.equals(target)) || (ignore != null && ignore.test(client))) {
			return;
		}
		long latency = Math.max(0, ServerStats.epochMicros() - sentMicros);
		this.deliveries.increment();
		Predicate<Client> second = this.second;
		((second != null && second.test(client)) ? this.secondLatency : this.latency).recordValue(latency);
	}

}
