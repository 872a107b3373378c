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

	private int p5Iterations() {
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
		p5Row(phase, "action: tab A increment → tab B state, " + tabs, histogram);
	}

	private void p5Echo(Server raw, String phase) throws Exception {
		Client echo = this.bench.connect(raw, 1, (i) -> "echo", (i) -> "echo").get(0);
		BlockingQueue<String> echoes = new ArrayBlockingQueue<>(1024);
		echo.other = echoes::offer;
		Histogram histogram = roundTrips(
				(i) -> echo.send("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r" + i + "\"}"), echoes,
				"P5: no raw echo within 10 s");
		echo.close();
		p5Row(phase, "raw echo on R", histogram);
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

	private void p5Row(String phase, String roundTrip, Histogram histogram) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("phase", phase);
		row.put("roundTrip", roundTrip);
		Bench.latency(row, "", histogram);
		p5Rows().add(row);
		System.out.println("   P5 round " + row);
	}

}
