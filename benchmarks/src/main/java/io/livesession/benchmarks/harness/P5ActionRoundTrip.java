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
import org.jspecify.annotations.Nullable;

/**
 * P5 action round trip: tab A increments, tab B receives the state; against a raw echo,
 * in memory and on Redis.
 *
 * @author livesession
 */
final class P5ActionRoundTrip {

	/** HotSpot's compiler threads, as {@code /proc} names them (15 characters). */
	private static final String[] JIT_THREADS = { "C1 CompilerThre", "C2 CompilerThre" };

	/** G1's threads: parallel workers, marking, refinement. */
	private static final String[] GC_THREADS = { "GC Thread", "G1 " };

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

	/**
	 * Compiler CPU of all servers in one warm-up pass below which the paths count as
	 * compiled. In full runs of 2026-12-03 the passes compiled 19-24 s, 4-10 s, 1.5-2.7
	 * s, 0.45-0.63 s, then 60-340 ms each (much of it what the servers run in the
	 * background), and the measured steps after them 0-60 ms.
	 */
	private static final long WARM_JIT_MILLIS = 100;

	/** Each path's tabs, by phase and tabs, for the whole scenario. */
	private final Map<String, Tabs> paths = new LinkedHashMap<>();

	/** The raw echo client of every step, and what it received. */
	private @Nullable Client echo;

	private final BlockingQueue<String> echoes = new ArrayBlockingQueue<>(1024);

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
		try {
			warmUp(steps);
			for (int round = 0; round < this.bench.rounds; round++) {
				List<Bench.Step> order = new ArrayList<>(steps);
				Collections.rotate(order, -round);
				for (Bench.Step step : order) {
					step.run();
				}
			}
		}
		finally {
			// Also on failure: a later scenario on these servers checks their registries
			// empty.
			this.paths.values().forEach(Tabs::close);
			this.paths.clear();
			if (this.echo != null) {
				this.echo.close();
				this.echo = null;
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
	 * Runs every step untimed until a whole pass of them leaves the servers' JIT nearly
	 * idle (at most 10 passes in full mode, one in quick mode), then waits for what is
	 * still queued to compile. A single pass and a wait were not enough: the JIT went
	 * quiet while nothing ran and compiled 0.3-1.3 s again in each of the first rounds,
	 * less in each, as code crossed its thresholds under the measured load.
	 */
	private void warmUp(List<Bench.Step> steps) throws Exception {
		this.warming = true;
		int passes = this.bench.full ? 10 : 1;
		for (int pass = 1; pass <= passes; pass++) {
			long before = jitMillis(this.servers);
			for (Bench.Step step : steps) {
				step.run();
			}
			long compiled = jitMillis(this.servers) - before;
			System.out.println("   P5: warm-up pass " + pass + ", " + compiled + " ms of compiler CPU");
			if (compiled <= WARM_JIT_MILLIS) {
				break;
			}
		}
		this.warming = false;
		awaitCompiled();
	}

	/**
	 * Waits until the servers have stopped compiling (at most 60 s). They share one CPU,
	 * so the JIT compiling what the warm-up ran, in any of them, delays every round trip:
	 * in runs that started measuring at once, the first three of five rounds had a p99 of
	 * 2-4 ms in memory, the last two 0.2 ms, on Tomcat and Jetty alike.
	 */
	private void awaitCompiled() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long previous = jitMillis(this.servers);
		while (System.nanoTime() < deadline) {
			Thread.sleep(1000);
			long now = jitMillis(this.servers);
			// One clock tick: /proc counts thread CPU in 10 ms.
			if (now - previous <= 10) {
				System.out.println("   P5: the servers' JIT has settled (" + now + " ms of compiler CPU in all)");
				return;
			}
			previous = now;
		}
		System.out.println("   P5: the servers still compile after 60 s; measuring anyway");
	}

	private static long jitMillis(List<Server> servers) {
		long millis = 0;
		for (Server server : servers) {
			millis += jitMillis(server);
		}
		return millis;
	}

	private static long jitMillis(Server server) {
		return Machine.threadCpuMillis(server.pid(), JIT_THREADS);
	}

	/**
	 * Action round trips interleaved one by one with raw echo round trips on R, so that
	 * both meet the same moments of the machine. On this virtual machine the host takes
	 * the CPUs away for milliseconds (steal, 1-15 % of a step's time): measured in steps
	 * of their own, a 0.2 s echo step often saw none while a 1-2 s action step always
	 * did, and the ratio of their tails measured the host's luck more than livesession.
	 */
	private void p5Action(Server liveA, Server liveB, Server raw, String phase, String tabs) throws Exception {
		Tabs path = this.paths.computeIfAbsent(phase + "|" + tabs, (key) -> open(liveA, liveB, phase, tabs));
		Client echo = echo(raw);
		path.states().clear();
		this.echoes.clear();
		List<Server> on = (liveA == liveB) ? List.of(liveA, raw) : List.of(liveA, liveB, raw);
		Pauses before = pauses(on);
		Histogram actions = new Histogram(60_000_000L, 3);
		Histogram echoTrips = new Histogram(60_000_000L, 3);
		int warm = p5Iterations() / 5;
		for (int i = 0; i < p5Iterations() + warm; i++) {
			String frame = "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r" + i + "\"}";
			long echoed = roundTrip(echo, frame, this.echoes, "P5: no raw echo within 10 s");
			long acted = roundTrip(path.a(), frame, path.states(),
					"P5: tab B got no state within 10 s (" + phase + ", " + tabs + ")");
			if (i >= warm) {
				echoTrips.recordValue(echoed);
				actions.recordValue(acted);
			}
		}
		p5Row(phase, "action: tab A increment → tab B state, " + tabs, actions, echoTrips, before, pauses(on));
	}

	/**
	 * The two tabs of a path, opened by its first step and kept for every round: opening
	 * and closing them in each step ran the handshake, registration and close paths
	 * (Tomcat's poller and timeouts, the registry, the observation) once per step, too
	 * rarely to stay compiled, and the servers deoptimized and compiled them again in
	 * every measured step (hundreds of ms of one shared CPU).
	 */
	private Tabs open(Server liveA, Server liveB, String phase, String tabs) {
		String group = "p5-" + phase + "-" + tabs.charAt(0);
		try {
			Client a = this.bench.connect(liveA, 1, (i) -> "p5a", (i) -> group).get(0);
			Client b = this.bench.connect(liveB, 1, (i) -> "p5b", (i) -> group).get(0);
			Tabs path = new Tabs(a, b, new ArrayBlockingQueue<>(1024));
			b.other = (message) -> {
				if (message.contains("\"type\":\"state\"")) {
					path.states().offer(message);
				}
			};
			return path;
		}
		catch (Exception ex) {
			throw new IllegalStateException("P5: could not connect the " + phase + " tabs (" + tabs + ")", ex);
		}
	}

	/**
	 * The echo client, one for every step: R sends no pings, so a client per path, idle
	 * while the other paths ran, outlived Jetty's 30 s idle timeout during the warm-up
	 * and was closed under the harness.
	 */
	private Client echo(Server raw) throws Exception {
		if (this.echo == null) {
			Client echo = this.bench.connect(raw, 1, (i) -> "echo", (i) -> "echo").get(0);
			echo.other = this.echoes::offer;
			this.echo = echo;
		}
		return this.echo;
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
	 * The CPU time of the GC threads of the servers on a round trip's path, the machine's
	 * steal time, and the CPU time of every server's JIT compiler threads: a collection,
	 * a compilation (one shared CPU) or a pause of the host during a round trip is part
	 * of its latency, so the rows say how much fell within each measurement. All of it
	 * comes from {@code /proc}: asking the servers (an HTTP call each, as before) made
	 * them compile again for the call's types in the next step.
	 */
	private Pauses pauses(List<Server> path) {
		long gc = 0;
		List<Long> compile = new ArrayList<>();
		for (Server server : this.servers) {
			compile.add(jitMillis(server));
			if (path.contains(server)) {
				gc += Machine.threadCpuMillis(server.pid(), GC_THREADS);
			}
		}
		return new Pauses(gc, Machine.stealMillis(), compile);
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
		row.put("gcCpuMillis", after.gcCpuMillis() - before.gcCpuMillis());
		row.put("stealMillis", after.stealMillis() - before.stealMillis());
		List<Long> compile = new ArrayList<>();
		for (int i = 0; i < after.compileMillis().size(); i++) {
			// A compiler thread that exits takes its time with it (the JVM starts and
			// stops them with the load): never less than nothing.
			compile.add(Math.max(0, after.compileMillis().get(i) - before.compileMillis().get(i)));
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
	 * GC threads' CPU of the servers on a path so far, the machine's steal so far, and
	 * the JIT compiler threads' CPU of every server so far, in milliseconds.
	 */
	private record Pauses(long gcCpuMillis, long stealMillis, List<Long> compileMillis) {

	}

	/** Tab A and tab B of a path, with the states B received. */
	private record Tabs(Client a, Client b, BlockingQueue<String> states) {

		void close() {
			this.a.close();
			this.b.close();
		}

	}

}
