package io.livesession.benchmarks.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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

	/** Every server of the scenario: they share one CPU. */
	private List<Server> servers = List.of();

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
		List<Bench.Step> steps = List.of(() -> p5Action(live, live, raw, "memory", "same instance"),
				() -> p5Action(cluster.get(0), cluster.get(0), raw, "redis", "same instance"),
				() -> p5Action(cluster.get(0), cluster.get(1), raw, "redis", "two instances"));
		// Each path is compiled before anything is timed: the Redis paths run through far
		// more code (Lettuce, Spring Data Redis, the commit) than the echo, so a warm-up
		// of a fifth of a round left the first rounds measuring the JIT, not the path.
		this.servers = new ArrayList<>(List.of(live, raw));
		cluster.stream().filter((server) -> !this.servers.contains(server)).forEach(this.servers::add);
		this.warming = true;
		for (Bench.Step step : steps) {
			step.run();
		}
		this.warming = false;
		awaitCompiled();
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
		byRoundTrip.values().forEach((rows) -> {
			Map<String, Object> median = Bench.median(rows);
			median.put("echoRatioRounds", rows.stream().map((row) -> row.get("echoRatio")).toList());
			median.put("compileMillisRounds", rows.stream().map((row) -> row.get("compileMillis")).toList());
			// The first round's list; the rounds' sums are above.
			median.remove("compileMillisByServer");
			medians.add(median);
		});
		p5Rows().clear();
		p5Rows().addAll(medians);
		medians.forEach((row) -> System.out.println("   P5 " + row));
	}

	/**
	 * Waits until the servers have stopped compiling (at most 60 s). They share one CPU,
	 * so the JIT compiling what the warm-up ran, in any of them, delays every round trip:
	 * in runs that started measuring at once, the first three of five rounds had a p99 of
	 * 2-4 ms in memory, the last two 0.2 ms, on Tomcat and Jetty alike.
	 */
	private void awaitCompiled() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long previous = compileMillis(this.servers);
		while (System.nanoTime() < deadline) {
			Thread.sleep(1000);
			long now = compileMillis(this.servers);
			if (now - previous <= 5) {
				System.out.println("   P5: the servers' JIT has settled (" + now + " ms of compilation in all)");
				return;
			}
			previous = now;
		}
		System.out.println("   P5: the servers still compile after 60 s; measuring anyway");
	}

	private static long compileMillis(List<Server> servers) {
		long millis = 0;
		for (Server server : servers) {
			millis += Bench.num(server.stats(false), "compileMillis");
		}
		return millis;
	}

	/**
	 * Action round trips interleaved one by one with raw echo round trips on R, so that
	 * both meet the same moments of the machine. On this virtual machine the host takes
	 * the CPUs away for milliseconds (steal, 1-15 % of a step's time): measured in steps
	 * of their own, a 0.2 s echo step often saw none while a 1-2 s action step always
	 * did, and the ratio of their tails measured the host's luck more than livesession.
	 */
	private void p5Action(Server liveA, Server liveB, Server raw, String phase, String tabs) throws Exception {
		String group = "p5-" + phase + "-" + tabs.charAt(0);
		Client a = this.bench.connect(liveA, 1, (i) -> "p5a", (i) -> group).get(0);
		Client b = this.bench.connect(liveB, 1, (i) -> "p5b", (i) -> group).get(0);
		Client echo = this.bench.connect(raw, 1, (i) -> "echo", (i) -> "echo").get(0);
		BlockingQueue<String> states = new ArrayBlockingQueue<>(1024);
		b.other = (message) -> {
			if (message.contains("\"type\":\"state\"")) {
				states.offer(message);
			}
		};
		BlockingQueue<String> echoes = new ArrayBlockingQueue<>(1024);
		echo.other = echoes::offer;
		List<Server> path = (liveA == liveB) ? List.of(liveA, raw) : List.of(liveA, liveB, raw);
		Pauses before = pauses(path);
		Histogram actions = new Histogram(60_000_000L, 3);
		Histogram echoTrips = new Histogram(60_000_000L, 3);
		try {
			int warm = p5Iterations() / 5;
			for (int i = 0; i < p5Iterations() + warm; i++) {
				String frame = "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r" + i + "\"}";
				long echoed = roundTrip(echo, frame, echoes, "P5: no raw echo within 10 s");
				long acted = roundTrip(a, frame, states,
						"P5: tab B got no state within 10 s (" + phase + ", " + tabs + ")");
				if (i >= warm) {
					echoTrips.recordValue(echoed);
					actions.recordValue(acted);
				}
			}
		}
		finally {
			// Also on failure: a later scenario on this server checks its registry
			// empties.
			a.close();
			b.close();
			echo.close();
		}
		p5Row(phase, "action: tab A increment → tab B state, " + tabs, actions, echoTrips, before, pauses(path));
	}

	/** One round trip, in microseconds. */
	private static long roundTrip(Client client, String frame, BlockingQueue<String> answers, String failure)
			throws InterruptedException {
		long start = System.nanoTime();
		client.send(frame);
		if (answers.poll(10, TimeUnit.SECONDS) == null) {
			throw new IllegalStateException(failure);
		}
		return (System.nanoTime() - start) / 1000;
	}

	/**
	 * The collections the servers on a round trip's path have had, their accumulated
	 * time, the machine's steal time, and the compilation time of every server: a GC
	 * pause or a pause of the host during a round trip is part of its latency, so the
	 * rows say how much fell within each measurement.
	 */
	private Pauses pauses(List<Server> path) {
		long count = 0;
		long millis = 0;
		List<Long> compile = new ArrayList<>();
		// One statistics call per server: each is an HTTP request the server compiles
		// for.
		for (Server server : this.servers) {
			Map<String, Object> stats = server.stats(false);
			compile.add(Bench.num(stats, "compileMillis"));
			if (path.contains(server)) {
				count += Bench.num(stats, "gcCount");
				millis += Bench.num(stats, "gcMillis");
			}
		}
		return new Pauses(count, millis, Machine.stealMillis(), compile);
	}

	private void p5Row(String phase, String roundTrip, Histogram histogram, Histogram echoes, Pauses before,
			Pauses after) {
		if (this.warming) {
			return;
		}
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("phase", phase);
		row.put("roundTrip", roundTrip);
		Bench.latency(row, "", histogram);
		Bench.latency(row, "echo", echoes);
		row.put("gcCount", after.gcCount() - before.gcCount());
		row.put("gcMillis", after.gcMillis() - before.gcMillis());
		row.put("stealMillis", after.stealMillis() - before.stealMillis());
		List<Long> compile = new ArrayList<>();
		for (int i = 0; i < after.compileMillis().size(); i++) {
			compile.add(after.compileMillis().get(i) - before.compileMillis().get(i));
		}
		row.put("compileMillis", compile.stream().mapToLong(Long::longValue).sum());
		row.put("compileMillisByServer", compile);
		// Per step, like with like: the median of these ratios is the goal's figure, not
		// the ratio of the medians of two tails measured at different moments.
		row.put("echoRatio",
				(double) histogram.getValueAtPercentile(99) / Math.max(1, echoes.getValueAtPercentile(99)));
		p5Rows().add(row);
		System.out.println("   P5 round " + row);
	}

	/**
	 * Collections of the servers on a path so far, the machine's steal so far, and the
	 * JIT compilation of every server so far.
	 */
	private record Pauses(long gcCount, long gcMillis, long stealMillis, List<Long> compileMillis) {

	}

}
