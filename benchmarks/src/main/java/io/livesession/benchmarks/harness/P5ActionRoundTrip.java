package io.livesession.benchmarks.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.HdrHistogram.Histogram;

/**
 * P5 action round trip: tab A increments, tab B receives the state; against a raw echo,
 * in memory and on Redis.
 *
 * @author livesession
 */
final class P5ActionRoundTrip {

	private final Bench bench;

	P5ActionRoundTrip(Bench bench) {
		this.bench = bench;
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> p5Rows() {
		return (List<Map<String, Object>>) this.bench.results.computeIfAbsent("P5", (key) -> new ArrayList<>());
	}

	/** Whether the steps run untimed, to compile their paths before the first round. */
	private boolean warming;

	private int p5Iterations() {
		if (this.warming) {
			return this.bench.full ? 5000 : 200;
		}
		return this.bench.full ? 2000 : 100;
	}

	/**
	 * Every round trip once per round, in an order rotated each round (so that a busy
	 * moment of the machine does not always fall on the same one), then the medians.
	 */
	void run(Server live, Server raw, List<Server> cluster) throws Exception {
		List<Bench.Step> steps = List.of(() -> p5Action(live, live, "memory", "same instance"),
				() -> p5Echo(raw, "memory"), () -> p5Action(cluster.get(0), cluster.get(0), "redis", "same instance"),
				() -> p5Action(cluster.get(0), cluster.get(1), "redis", "two instances"),
				// The echo again, for the Redis ratios.
				() -> p5Echo(raw, "redis"));
		// Each path is compiled before anything is timed: the Redis paths run through far
		// more code (Lettuce, Spring Data Redis, the commit) than the echo, so a warm-up
		// of a fifth of a round left the first rounds measuring the JIT, not the path.
		this.warming = true;
		for (Bench.Step step : steps) {
			step.run();
		}
		this.warming = false;
		for (int round = 0; round < this.bench.rounds; round++) {
			List<Bench.Step> order = new ArrayList<>(steps);
			Collections.rotate(order, -round);
			for (Bench.Step step : order) {
				step.run();
			}
		}
		Map<String, List<Map<String, Object>>> byRoundTrip = new LinkedHashMap<>();
		for (Map<String, Object> row : p5Rows()) {
			byRoundTrip.computeIfAbsent(row.get("phase") + "|" + row.get("roundTrip"), (key) -> new ArrayList<>())
				.add(row);
		}
		List<Map<String, Object>> medians = new ArrayList<>();
		byRoundTrip.values().forEach((rows) -> medians.add(Bench.median(rows)));
		p5Rows().clear();
		p5Rows().addAll(medians);
		medians.forEach((row) -> System.out.println("   P5 " + row));
	}

	private void p5Action(Server liveA, Server liveB, String phase, String tabs) throws Exception {
		String group = "p5-" + phase + "-" + tabs.charAt(0);
		Client a = this.bench.connect(liveA, 1, (i) -> "p5a", (i) -> group).get(0);
		Client b = this.bench.connect(liveB, 1, (i) -> "p5b", (i) -> group).get(0);
		BlockingQueue<String> states = new ArrayBlockingQueue<>(1024);
		b.other = (message) -> {
			if (message.contains("\"type\":\"state\"")) {
				states.offer(message);
			}
		};
		Histogram histogram;
		List<Server> path = (liveA == liveB) ? List.of(liveA) : List.of(liveA, liveB);
		long[] gcBefore = collections(path);
		try {
			histogram = roundTrips(
					(i) -> a.send("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r" + i + "\"}"), states,
					"P5: tab B got no state within 10 s (" + phase + ", " + tabs + ")");
		}
		finally {
			// Also on failure: a later scenario on this server checks its registry
			// empties.
			a.close();
			b.close();
		}
		p5Row(phase, "action: tab A increment → tab B state, " + tabs, histogram, gcBefore, collections(path));
	}

	private void p5Echo(Server raw, String phase) throws Exception {
		Client echo = this.bench.connect(raw, 1, (i) -> "echo", (i) -> "echo").get(0);
		BlockingQueue<String> echoes = new ArrayBlockingQueue<>(1024);
		echo.other = echoes::offer;
		long[] gcBefore = collections(List.of(raw));
		Histogram histogram = roundTrips(
				(i) -> echo.send("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r" + i + "\"}"), echoes,
				"P5: no raw echo within 10 s");
		echo.close();
		p5Row(phase, "raw echo on R", histogram, gcBefore, collections(List.of(raw)));
	}

	private Histogram roundTrips(IntConsumer send, BlockingQueue<String> answers, String failure)
			throws InterruptedException {
		Histogram histogram = new Histogram(60_000_000L, 3);
		int warm = p5Iterations() / 5;
		for (int i = 0; i < p5Iterations() + warm; i++) {
			long start = System.nanoTime();
			send.accept(i);
			if (answers.poll(10, TimeUnit.SECONDS) == null) {
				throw new IllegalStateException(failure);
			}
			if (i >= warm) {
				histogram.recordValue((System.nanoTime() - start) / 1000);
			}
		}
		return histogram;
	}

	/**
	 * The collections the servers on a round trip's path have had, and their accumulated
	 * time: a GC pause during a round trip is part of its latency, so the rows say how
	 * many fell within each measurement.
	 */
	private static long[] collections(List<Server> path) {
		long[] totals = new long[2];
		for (Server server : path) {
			Map<String, Object> stats = server.stats(false);
			totals[0] += Bench.num(stats, "gcCount");
			totals[1] += Bench.num(stats, "gcMillis");
		}
		return totals;
	}

	private void p5Row(String phase, String roundTrip, Histogram histogram, long[] gcBefore, long[] gcAfter) {
		if (this.warming) {
			return;
		}
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("phase", phase);
		row.put("roundTrip", roundTrip);
		Bench.latency(row, "", histogram);
		row.put("gcCount", gcAfter[0] - gcBefore[0]);
		row.put("gcMillis", gcAfter[1] - gcBefore[1]);
		p5Rows().add(row);
		System.out.println("   P5 round " + row);
	}

}
