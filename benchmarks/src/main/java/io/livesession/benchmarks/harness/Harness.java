package io.livesession.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.livesession.benchmarks.BenchProperties;
import io.livesession.test.RedisTestServer;
import org.jspecify.annotations.Nullable;

/**
 * The one command: starts the servers, drives every scenario from this process (the load
 * generator), runs the JMH microbenchmarks and writes docs/benchmarks.md and
 * docs/benchmarks.json. Exits non-zero when a scenario produced no numbers or the soak's
 * correctness checks failed; never because something was slow.
 *
 * @author livesession
 */
public final class Harness {

	private final boolean full;

	private final Path out;

	private final Path logDir;

	private final int portBase;

	private final boolean pin;

	/** Scenarios to run; empty runs all (development only). */
	private Set<String> only = Set.of();

	/** Overrides the P1/P3 connection counts (development only). */
	private int @Nullable [] p1Sizes;

	/** The servlet container of every server: tomcat or jetty. */
	private String container = "tomcat";

	/** Alternating rounds whose medians are reported. */
	private int rounds;

	private Harness(boolean full, Path out, int portBase) {
		this.full = full;
		this.out = out;
		this.logDir = Path.of("benchmarks", "target", "bench-logs");
		this.portBase = portBase;
		this.pin = Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
	}

	public static void main(String[] args) throws Exception {
		String mode = "quick";
		Set<String> only = Set.of();
		int[] p1Sizes = null;
		String container = "tomcat";
		int rounds = -1;
		Path out = Path.of("docs");
		Path reportFrom = null;
		int portBase = 28180;
		for (String arg : args) {
			if (arg.startsWith("--mode=")) {
				mode = arg.substring(7);
			}
			else if (arg.startsWith("--out=")) {
				out = Path.of(arg.substring(6));
			}
			else if (arg.startsWith("--port-base=")) {
				portBase = Integer.parseInt(arg.substring(12));
			}
			else if (arg.startsWith("--only=")) {
				only = Set.of(arg.substring(7).split(","));
			}
			else if (arg.startsWith("--report-from=")) {
				reportFrom = Path.of(arg.substring(14));
			}
			else if (arg.startsWith("--container=")) {
				container = arg.substring(12);
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(arg.substring(9));
			}
			else if (arg.startsWith("--p1-connections=")) {
				p1Sizes = java.util.Arrays.stream(arg.substring(17).split(",")).mapToInt(Integer::parseInt).toArray();
			}
			else {
				System.err.println("Usage: java -jar benchmarks/target/benchmarks.jar [--mode=quick|full] [--out=docs]"
						+ " [--port-base=28180] [--only=P1+P3,P2,P4,P5,P6,P7,Soak,JMH] [--p1-connections=1000,5000]"
						+ " [--container=tomcat|jetty] [--rounds=5]"
						+ " | --report-from=docs/benchmarks.json [--out=docs]");
				System.exit(2);
			}
		}
		if (reportFrom != null) {
			// Render the report again from a results file, for example after editing
			// benchmarks-notes.md, without running anything; after every argument was
			// read, so --out applies wherever it stands.
			Report.rewrite(reportFrom, out);
			return;
		}
		if (!mode.equals("quick") && !mode.equals("full")) {
			System.err.println("--mode must be quick or full");
			System.exit(2);
		}
		Harness harness = new Harness(mode.equals("full"), out, portBase);
		harness.only = only;
		harness.p1Sizes = p1Sizes;
		if (!container.equals("tomcat") && !container.equals("jetty")) {
			System.err.println("--container must be tomcat or jetty");
			System.exit(2);
		}
		harness.container = container;
		// Five in full mode: the median of alternating rounds evens out a busy machine.
		harness.rounds = (rounds > 0) ? rounds : (mode.equals("full") ? 5 : 1);
		Server.container = container;
		int status = harness.run();
		System.exit(status);
	}

	private int run() throws Exception {
		Bench bench = new Bench(this.full, this.rounds, this.p1Sizes, this.logDir);
		Map<String, Object> results = bench.results;
		List<String> failures = bench.failures;
		long started = System.currentTimeMillis();
		// Read before pinning: the pinned process sees one CPU.
		results.put("machine", Machine.facts(this.full, this.pin));
		results.put("container", this.container);
		results.put("rounds", this.rounds);
		if (this.pin) {
			// The generator on CPU 1, the servers on CPU 0.
			exec("taskset", "-a", "-p", "-c", "1", Long.toString(ProcessHandle.current().pid()));
		}
		Map<Server.Kind, Server> servers = new LinkedHashMap<>();
		List<Server> cluster = new ArrayList<>();
		try (RedisTestServer redis = RedisTestServer.start()) {
			try {
				// All at once: their start-ups overlap instead of adding up.
				for (Server.Kind kind : Server.Kind.values()) {
					servers.put(kind, Server.start(kind, this.portBase + kind.ordinal(), null, this.logDir));
				}
				String[] onRedis = { "--livesession.store=redis",
						"--spring.autoconfigure.exclude=" + BenchProperties.containerExcludes(this.container),
						"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port() };
				cluster.add(Server.start(Server.Kind.LIVE, this.portBase + 10, null, this.logDir, onRedis));
				cluster.add(Server.start(Server.Kind.LIVE, this.portBase + 11, null, this.logDir, onRedis));
				List<Server> all = new ArrayList<>(servers.values());
				all.addAll(cluster);
				for (Server server : all) {
					server.awaitUp(Duration.ofSeconds(180));
					pinServer(server);
				}
				Server live = servers.get(Server.Kind.LIVE);
				Server raw = servers.get(Server.Kind.RAW);
				scenario(bench, "P1+P3", () -> new P1Broadcast(bench).run(servers));
				scenario(bench, "P2", () -> new P2Targeted(bench).run(servers));
				scenario(bench, "P4", () -> new P4SlowConsumers(bench).run(servers));
				// P5 on Redis is part of P5, so that --only=P5 measures every action row
				// and its echo in one run.
				scenario(bench, "P5", () -> new P5ActionRoundTrip(bench).run(live, raw, cluster));
				scenario(bench, "P6", () -> new P6CrossInstance(bench).run(redis, cluster.get(0), cluster.get(1)));
				scenario(bench, "P7", () -> new P7RoutingGrowth(bench, this.logDir, this.portBase).run(redis, onRedis));
				scenario(bench, "Soak", () -> new Soak(bench).run(live));
			}
			finally {
				servers.values().forEach(Server::close);
				cluster.forEach(Server::close);
			}
		}
		scenario(bench, "JMH", () -> new Jmh(bench).run());
		results.put("durationSeconds", (System.currentTimeMillis() - started) / 1000);
		results.put("failures", failures);
		Report.write(this.out, results);
		System.out
			.println("Wrote " + this.out.resolve("benchmarks.md") + " and " + this.out.resolve("benchmarks.json"));
		if (!failures.isEmpty()) {
			System.err.println("FAILED:");
			failures.forEach((failure) -> System.err.println("  " + failure));
			return 1;
		}
		return 0;
	}

	private void scenario(Bench bench, String name, Bench.Step step) {
		if (!this.only.isEmpty() && !this.only.contains(name)) {
			return;
		}
		long start = System.currentTimeMillis();
		System.out.println("== " + name);
		try {
			step.run();
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			bench.failures.add(name + " did not run to the end: " + ex);
		}
		System.out.println("   " + name + " took " + (System.currentTimeMillis() - start) / 1000 + " s");
	}

	private void pinServer(Server server) throws Exception {
		if (this.pin) {
			exec("taskset", "-a", "-p", "-c", "0", Long.toString(server.pid()));
		}
	}

	// P1 broadcast to all, and P3 idle memory measured while the P1 connections are idle.

	private static void exec(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		process.waitFor(10, TimeUnit.SECONDS);
	}

}
