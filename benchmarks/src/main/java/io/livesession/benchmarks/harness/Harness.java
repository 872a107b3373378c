package io.livesession.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import io.livesession.benchmarks.BenchProperties;
import io.livesession.test.RedisTestServer;
import org.HdrHistogram.Histogram;

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

	private final Map<String, Object> results = new LinkedHashMap<>();

	/** Scenarios to run; empty runs all (development only). */
	private java.util.Set<String> only = java.util.Set.of();

	/** Overrides the P1/P3 connection counts (development only). */
	private int @org.jspecify.annotations.Nullable [] p1Sizes;

	/** The servlet container of every server: tomcat or jetty. */
	private String container = "tomcat";

	/** Alternating P1 rounds whose medians are reported. */
	private int rounds;

	private final List<String> failures = new ArrayList<>();

	private final HttpClient[] http;

	private volatile Recording recording = new Recording();

	private final Client.Sink sink = (client, sent, target) -> this.recording.broadcast(client, sent, target);

	private Harness(boolean full, Path out, int portBase) {
		this.full = full;
		this.out = out;
		this.logDir = Path.of("benchmarks", "target", "bench-logs");
		this.portBase = portBase;
		this.pin = Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
		ExecutorService executor = Executors.newFixedThreadPool(3, (runnable) -> {
			Thread thread = new Thread(runnable, "ws-client");
			thread.setDaemon(true);
			return thread;
		});
		this.http = new HttpClient[] { HttpClient.newBuilder().executor(executor).build(),
				HttpClient.newBuilder().executor(executor).build() };
	}

	public static void main(String[] args) throws Exception {
		String mode = "quick";
		java.util.Set<String> only = java.util.Set.of();
		int[] p1Sizes = null;
		String container = "tomcat";
		int rounds = -1;
		Path out = Path.of("docs");
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
				only = java.util.Set.of(arg.substring(7).split(","));
			}
			else if (arg.startsWith("--report-from=")) {
				// Render the report again from a results file, for example after editing
				// benchmarks-notes.md, without running anything.
				Report.rewrite(Path.of(arg.substring(14)), out);
				return;
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
						+ " [--port-base=28180] [--only=P1+P3,P2,P4,P5,P6,Soak,JMH] [--p1-connections=1000,5000]"
						+ " [--container=tomcat|jetty] [--rounds=5]"
						+ " | --report-from=docs/benchmarks.json [--out=docs]");
				System.exit(2);
			}
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
		long started = System.currentTimeMillis();
		// Read before pinning: the pinned process sees one CPU.
		this.results.put("machine", Machine.facts(this.full, this.pin));
		this.results.put("container", this.container);
		this.results.put("rounds", this.rounds);
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
				scenario("P1+P3", () -> p1AndP3(servers));
				scenario("P2", () -> p2(servers));
				scenario("P4", () -> p4(servers));
				// P5 on Redis is part of P5, so that --only=P5 measures every action row
				// and its echo in one run.
				scenario("P5", () -> p5(live, raw, cluster));
				scenario("P6", () -> p6(redis, cluster.get(0), cluster.get(1)));
				scenario("Soak", () -> soak(live));
			}
			finally {
				servers.values().forEach(Server::close);
				cluster.forEach(Server::close);
			}
		}
		scenario("JMH", this::jmh);
		this.results.put("durationSeconds", (System.currentTimeMillis() - started) / 1000);
		this.results.put("failures", this.failures);
		Report.write(this.out, this.results);
		System.out
			.println("Wrote " + this.out.resolve("benchmarks.md") + " and " + this.out.resolve("benchmarks.json"));
		if (!this.failures.isEmpty()) {
			System.err.println("FAILED:");
			this.failures.forEach((failure) -> System.err.println("  " + failure));
			return 1;
		}
		return 0;
	}

	private void scenario(String name, Step step) {
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
			this.failures.add(name + " did not run to the end: " + ex);
		}
		System.out.println("   " + name + " took " + (System.currentTimeMillis() - start) / 1000 + " s");
	}

	private void pinServer(Server server) throws Exception {
		if (this.pin) {
			exec("taskset", "-a", "-p", "-c", "0", Long.toString(server.pid()));
		}
	}

	// P1 broadcast to all, and P3 idle memory measured while the P1 connections are idle.

	private void p1AndP3(Map<Server.Kind, Server> servers) throws Exception {
		int[] sizes = (this.p1Sizes != null) ? this.p1Sizes
				: this.full ? new int[] { 1000, 5000, 10000 } : new int[] { 300 };
		int count = this.full ? 100 : 20;
		List<Map<String, Object>> p1 = new ArrayList<>();
		List<Map<String, Object>> p3 = new ArrayList<>();
		this.results.put("P1", p1);
		this.results.put("P3", p3);
		for (int n : sizes) {
			Map<Server, List<Map<String, Object>>> measured = new LinkedHashMap<>();
			for (int round = 0; round < this.rounds; round++) {
				// Alternating: every server goes first as often, so a busy moment of the
				// machine does not always fall on the same one.
				List<Server> order = new ArrayList<>(servers.values());
				java.util.Collections.rotate(order, -round);
				for (Server server : order) {
					Map<String, Object> row = p1Round(server, n, count, p3, round == 0);
					measured.computeIfAbsent(server, (key) -> new ArrayList<>()).add(row);
				}
			}
			for (Server server : servers.values()) {
				Map<String, Object> row = median(measured.get(server));
				p1.add(row);
				System.out.println("   P1 " + row);
			}
		}
	}

	private Map<String, Object> p1Round(Server server, int n, int count, List<Map<String, Object>> p3,
			boolean measureIdle) throws Exception {
		Map<String, Object> before = server.stats(true);
		List<Client> clients = connect(server, n, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
		Thread.sleep(1000);
		if (measureIdle) {
			Map<String, Object> idle = server.stats(true);
			Map<String, Object> row3 = row(server, n);
			row3.put("heapPerConnection", (num(idle, "heapUsed") - num(before, "heapUsed")) / n);
			row3.put("rssPerConnection", (num(idle, "rss") - num(before, "rss")) / n);
			row3.put("heapUsed", num(idle, "heapUsed"));
			row3.put("rss", num(idle, "rss"));
			p3.add(row3);
		}
		warmUp(server, clients);
		// An unmeasured pass of the same pattern, so the JIT has seen it.
		Recording warm = newRecording();
		server.broadcast(count, 100, "all", 50_000, Duration.ofSeconds(120));
		awaitDeliveries(warm, (long) count * clients.size(), Duration.ofSeconds(30));
		Recording recording = newRecording();
		long cpuBefore = num(server.stats(false), "cpuNanos");
		Map<String, Object> sent = server.broadcast(count, 100, "all", 50_000, Duration.ofSeconds(120));
		awaitDeliveries(recording, (long) count * clients.size(), Duration.ofSeconds(30));
		long cpu = num(server.stats(false), "cpuNanos") - cpuBefore;
		Map<String, Object> row = row(server, n);
		row.put("broadcasts", count);
		row.put("deliveries", recording.deliveries.sum());
		row.put("expected", (long) count * clients.size());
		latency(row, "", recording.latency);
		row.put("cpuSeconds", cpu / 1e9);
		row.put("deliveriesPerCpuSecond", recording.deliveries.sum() / Math.max(1e-9, cpu / 1e9));
		row.put("sendP99Us", sent.get("sendP99Us"));
		System.out.println("   P1 round " + row);
		disconnect(server, clients);
		return row;
	}

	/**
	 * The median of each number over the rounds (the lower middle for an even count), and
	 * the p99 of every round.
	 */
	static Map<String, Object> median(List<Map<String, Object>> rows) {
		Map<String, Object> result = new LinkedHashMap<>(rows.get(0));
		for (String key : rows.get(0).keySet()) {
			if (rows.get(0).get(key) instanceof Number) {
				List<Double> values = rows.stream()
					.map((row) -> ((Number) row.get(key)).doubleValue())
					.sorted()
					.toList();
				double middle = values.get((values.size() - 1) / 2);
				result.put(key, (rows.get(0).get(key) instanceof Double) ? (Object) middle : (Object) (long) middle);
			}
		}
		result.put("rounds", rows.size());
		result.put("p99UsRounds", rows.stream().map((row) -> row.get("p99Us")).toList());
		return result;
	}

	// P2 targeted: one user (3 connections) and one group among a small and a large
	// total.

	private void p2(Map<Server.Kind, Server> servers) throws Exception {
		int[] totals = this.full ? new int[] { 1000, 19000 } : new int[] { 200, 1200 };
		int count = this.full ? 50 : 10;
		List<Map<String, Object>> p2 = new ArrayList<>();
		this.results.put("P2", p2);
		for (int total : totals) {
			for (Server server : servers.values()) {
				List<Client> clients = connect(server, total, (i) -> "user-" + (i / 3), Harness::p2Group);
				warmUp(server, clients);
				for (String target : List.of("user:user-0", "group:g10", "group:g100", "group:g1000")) {
					long members = clients.stream().filter((c) -> c.accepts(target)).count();
					if (members == 0) {
						continue;
					}
					Recording recording = newRecording();
					recording.focus = target;
					Map<String, Object> sent = server.broadcast(count, 100, target, 20_000, Duration.ofSeconds(120));
					awaitDeliveries(recording, count * members, Duration.ofSeconds(20));
					Map<String, Object> row = row(server, total);
					row.put("target", target);
					row.put("recipients", members);
					row.put("deliveries", recording.deliveries.sum());
					row.put("expected", count * members);
					row.put("sendP50Us", sent.get("sendP50Us"));
					row.put("sendP99Us", sent.get("sendP99Us"));
					latency(row, "", recording.latency);
					row.put("violations", recording.violations.sum());
					p2.add(row);
					System.out.println("   P2 " + row);
				}
				disconnect(server, clients);
			}
		}
	}

	static String p2Group(int i) {
		if (i < 10) {
			return "g10";
		}
		if (i < 110) {
			return "g100";
		}
		if (i < 1110) {
			return "g1000";
		}
		return "f" + (i / 10);
	}

	// P4 slow consumers: 5 % stop reading.

	private void p4(Map<Server.Kind, Server> servers) throws Exception {
		// The generator decodes every healthy client's 16 KB frames on one CPU: more
		// clients would measure the generator, not the server.
		int n = this.full ? 400 : 100;
		long window = this.full ? 30 : 3;
		int size = 16 * 1024;
		int rate = 20;
		List<Map<String, Object>> p4 = new ArrayList<>();
		this.results.put("P4", p4);
		for (Server server : servers.values()) {
			Map<String, Object> row = row(server, n);
			row.put("payloadBytes", size);
			row.put("broadcastsPerSecond", rate);
			List<Client> clients = connect(server, n, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
			warmUp(server, clients);
			CompletableFuture<Map<String, Object>> sent = null;
			// First without, then with every 20th client no longer reading.
			for (boolean stall : new boolean[] { false, true }) {
				int stalled = stall ? n / 20 : 0;
				for (int i = 0; i < stalled; i++) {
					clients.get(i * 20).stalled = true;
				}
				long heapBefore = num(server.stats(true), "heapUsed");
				Recording recording = newRecording();
				recording.ignore = (client) -> client.stalled;
				int count = (int) (window * rate);
				long start = System.nanoTime();
				// R's loop blocks on a stalled socket, so the call may outlive the
				// window.
				sent = CompletableFuture
					.supplyAsync(() -> server.broadcast(count, size, "all", 1_000_000 / rate, Duration.ofMinutes(5)));
				long evictedAfter = -1;
				long deadline = start + TimeUnit.SECONDS.toNanos(window + 3);
				while (System.nanoTime() < deadline) {
					if (stall && evictedAfter < 0 && num(server.stats(false), "connections") <= n - stalled) {
						evictedAfter = (System.nanoTime() - start) / 1_000_000;
					}
					if (sent.isDone() && (!stall || evictedAfter >= 0)
							&& recording.deliveries.sum() >= (long) count * (n - stalled)) {
						break;
					}
					Thread.sleep(100);
				}
				String prefix = stall ? "stall" : "noStall";
				latency(row, prefix, recording.latency);
				row.put(prefix + "Deliveries", recording.deliveries.sum());
				row.put(prefix + "Expected", (long) count * (n - stalled));
				row.put(prefix + "HeapGrowth", num(server.stats(true), "heapUsed") - heapBefore);
				row.put(prefix + "BroadcastCallFinished", sent.isDone());
				if (stall) {
					row.put("stalledClients", stalled);
					row.put("evictMillis", evictedAfter);
				}
				else if (!sent.isDone()) {
					sent.get(60, TimeUnit.SECONDS);
				}
			}
			disconnect(server, clients);
			sent.cancel(true);
			p4.add(row);
			System.out.println("   P4 " + row);
		}
	}

	// P5 action round trip: tab A increments, tab B receives the state; vs a raw echo.

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> p5Rows() {
		return (List<Map<String, Object>>) this.results.computeIfAbsent("P5", (key) -> new ArrayList<>());
	}

	private int p5Iterations() {
		return this.full ? 2000 : 100;
	}

	/**
	 * Every round trip once per round, in an order rotated each round (so that a busy
	 * moment of the machine does not always fall on the same one), then the medians.
	 */
	private void p5(Server live, Server raw, List<Server> cluster) throws Exception {
		List<Step> steps = List.of(() -> p5Action(live, live, "memory", "same instance"), () -> p5Echo(raw, "memory"),
				() -> p5Action(cluster.get(0), cluster.get(0), "redis", "same instance"),
				() -> p5Action(cluster.get(0), cluster.get(1), "redis", "two instances"),
				// The echo again, for the Redis ratios.
				() -> p5Echo(raw, "redis"));
		for (int round = 0; round < this.rounds; round++) {
			List<Step> order = new ArrayList<>(steps);
			java.util.Collections.rotate(order, -round);
			for (Step step : order) {
				step.run();
			}
		}
		Map<String, List<Map<String, Object>>> byRoundTrip = new LinkedHashMap<>();
		for (Map<String, Object> row : p5Rows()) {
			byRoundTrip.computeIfAbsent(row.get("phase") + "|" + row.get("roundTrip"), (key) -> new ArrayList<>())
				.add(row);
		}
		List<Map<String, Object>> medians = new ArrayList<>();
		byRoundTrip.values().forEach((rows) -> medians.add(median(rows)));
		p5Rows().clear();
		p5Rows().addAll(medians);
		medians.forEach((row) -> System.out.println("   P5 " + row));
	}

	private void p5Action(Server liveA, Server liveB, String phase, String tabs) throws Exception {
		String group = "p5-" + phase + "-" + tabs.charAt(0);
		Client a = connect(liveA, 1, (i) -> "p5a", (i) -> group).get(0);
		Client b = connect(liveB, 1, (i) -> "p5b", (i) -> group).get(0);
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
		Client echo = connect(raw, 1, (i) -> "echo", (i) -> "echo").get(0);
		BlockingQueue<String> echoes = new ArrayBlockingQueue<>(1024);
		echo.other = echoes::offer;
		Histogram histogram = roundTrips(
				(i) -> echo.send("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r" + i + "\"}"), echoes,
				"P5: no raw echo within 10 s");
		echo.close();
		p5Row(phase, "raw echo on R", histogram);
	}

	private Histogram roundTrips(java.util.function.IntConsumer send, BlockingQueue<String> answers, String failure)
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
		latency(row, "", histogram);
		p5Rows().add(row);
		System.out.println("   P5 round " + row);
	}

	// P6 cross-instance: two livesession instances on a private Redis.

	private void p6(RedisTestServer redis, Server a, Server b) throws Exception {
		int n = this.full ? 2000 : 200;
		int count = this.full ? 100 : 20;
		List<Client> onA = connect(a, n / 2, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
		List<Client> onB = connect(b, n / 2, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
		List<Client> all = new ArrayList<>(onA);
		all.addAll(onB);
		warmUp(a, all);
		Recording recording = newRecording();
		java.util.Set<Client> across = java.util.Set.copyOf(onB);
		recording.second = across::contains;
		long publishBefore = publishCalls(redis);
		a.broadcast(count, 100, "all", 50_000, Duration.ofSeconds(120));
		awaitDeliveries(recording, (long) count * all.size(), Duration.ofSeconds(30));
		long publishes = publishCalls(redis) - publishBefore;
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("connections", all.size());
		row.put("broadcasts", count);
		row.put("deliveries", recording.deliveries.sum());
		row.put("expected", (long) count * all.size());
		latency(row, "local", recording.latency);
		latency(row, "across", recording.secondLatency);
		row.put("publishes", publishes);
		row.put("publishesPerBroadcast", publishes / (double) count);
		this.results.put("P6", row);
		System.out.println("   P6 " + row);
		disconnect(a, onA);
		disconnect(b, onB);
	}

	private static long publishCalls(RedisTestServer redis) throws IOException {
		try (Socket socket = new Socket(redis.host(), redis.port())) {
			OutputStream output = socket.getOutputStream();
			output.write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			StringBuilder header = new StringBuilder();
			int c;
			while ((c = input.read()) != '\n') {
				header.append((char) c);
			}
			int length = Integer.parseInt(header.substring(1).trim());
			String info = new String(input.readNBytes(length + 2), StandardCharsets.UTF_8);
			for (String line : info.split("\r\n")) {
				if (line.startsWith("cmdstat_publish:calls=")) {
					return Long.parseLong(line.substring(22, line.indexOf(',')));
				}
			}
			return 0;
		}
	}

	// Soak: actions, broadcasts and churn at fixed rates, then correctness checks.

	private void soak(Server server) throws Exception {
		int n = this.full ? 10000 : 200;
		long seconds = this.full ? 600 : 10;
		int actionsPerSecond = this.full ? 500 : 50;
		int broadcastsPerSecond = this.full ? 50 : 10;
		int churnPerSecond = this.full ? 100 : 10;
		Map<String, Object> row = new LinkedHashMap<>();
		this.results.put("Soak", row);
		row.put("connections", n);
		row.put("seconds", seconds);
		row.put("actionsPerSecond", actionsPerSecond);
		row.put("broadcastsPerSecond", broadcastsPerSecond);
		row.put("connectsAndDisconnectsPerSecond", churnPerSecond);
		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
		List<Client> churn = new ArrayList<>();
		try {
			List<Client> clients = connect(server, n, (i) -> "su-" + (i / 3), (i) -> "sg-" + (i / 10));
			warmUp(server, clients);
			Recording recording = newRecording();
			Map<String, LongAdder> acked = new ConcurrentHashMap<>();
			AtomicLong actionsSent = new AtomicLong();
			LongAdder errors = new LongAdder();
			LongAdder acks = new LongAdder();
			for (Client client : clients) {
				client.other = (message) -> {
					if (message.contains("\"type\":\"reply\"")) {
						acked.computeIfAbsent(client.group, (key) -> new LongAdder()).increment();
						acks.increment();
					}
					else if (message.contains("\"type\":\"error\"")) {
						errors.increment();
					}
				};
			}
			Map<String, Object> heapStart = server.stats(true);
			AtomicInteger churnIndex = new AtomicInteger();
			LongAdder churnFailures = new LongAdder();
			long start = System.nanoTime();
			List<java.util.concurrent.ScheduledFuture<?>> tasks = new ArrayList<>();
			tasks.add(scheduler.scheduleAtFixedRate(() -> {
				Client client = clients.get(ThreadLocalRandom.current().nextInt(clients.size()));
				actionsSent.incrementAndGet();
				client.send("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"s\"}");
			}, 0, 1_000_000 / actionsPerSecond, TimeUnit.MICROSECONDS));
			AtomicLong broadcasts = new AtomicLong();
			tasks.add(scheduler.scheduleAtFixedRate(() -> {
				int pick = ThreadLocalRandom.current().nextInt(n);
				String target = (broadcasts.incrementAndGet() % 2 == 0) ? "group:sg-" + (pick / 10)
						: "user:su-" + (pick / 3);
				server.broadcastAsync(target, 100);
			}, 0, 1_000_000 / broadcastsPerSecond, TimeUnit.MICROSECONDS));
			tasks.add(scheduler.scheduleAtFixedRate(() -> {
				// One connect and one disconnect per tick.
				int i = churnIndex.incrementAndGet();
				Client client = new Client(Server.Kind.LIVE, "cu-" + i, "cg-" + (i % 50), this.sink);
				try {
					client.connect(this.http[i % 2], server.uri(i, client.user, client.group))
						.get(10, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					churnFailures.increment();
				}
				synchronized (churn) {
					churn.add(client);
					if (churn.size() > 20) {
						churn.remove(0).close();
					}
				}
			}, 0, 2_000_000 / churnPerSecond, TimeUnit.MICROSECONDS));
			Map<String, Object> heapMinute2 = null;
			while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
				Thread.sleep(500);
				if (this.full && heapMinute2 == null && System.nanoTime() - start > TimeUnit.MINUTES.toNanos(2)) {
					heapMinute2 = server.stats(true);
				}
			}
			tasks.forEach((task) -> task.cancel(false));
			scheduler.shutdown();
			scheduler.awaitTermination(30, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (acks.sum() + errors.sum() < actionsSent.get() && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			Thread.sleep(500);
			Map<String, Object> heapEnd = server.stats(true);
			long lost = 0;
			long extra = 0;
			for (Map.Entry<String, LongAdder> entry : acked.entrySet()) {
				long count = server.count(entry.getKey());
				lost += Math.max(0, entry.getValue().sum() - count);
				extra += Math.max(0, count - entry.getValue().sum());
			}
			row.put("actionsSent", actionsSent.get());
			row.put("actionsAcked", acks.sum());
			row.put("actionErrors", errors.sum());
			row.put("lostAckedUpdates", lost);
			row.put("unackedButApplied", extra);
			row.put("broadcastsSent", broadcasts.get());
			row.put("broadcastDeliveries", recording.deliveries.sum());
			latency(row, "broadcast", recording.latency);
			row.put("framesOutsideTarget", recording.violations.sum());
			row.put("churnConnects", churnIndex.get());
			row.put("churnConnectFailures", churnFailures.sum());
			row.put("heapAfterGcStart", num(heapStart, "heapUsed"));
			if (heapMinute2 != null) {
				row.put("heapAfterGcMinute2", num(heapMinute2, "heapUsed"));
			}
			row.put("heapAfterGcEnd", num(heapEnd, "heapUsed"));
			Map<String, Object> reference = (heapMinute2 != null) ? heapMinute2 : heapStart;
			double drift = (num(heapEnd, "heapUsed") - num(reference, "heapUsed"))
					/ (double) num(reference, "heapUsed");
			row.put("heapDrift", drift);
			clients.forEach(Client::close);
			synchronized (churn) {
				churn.forEach(Client::close);
			}
			long remaining = awaitEmpty(server);
			row.put("registryAfterDisconnect", remaining);
			check(row, "no acknowledged update lost", lost == 0);
			check(row, "every action acknowledged", acks.sum() == actionsSent.get() && errors.sum() == 0);
			check(row, "no frame outside its group or user", recording.violations.sum() == 0);
			check(row, "registry empty after all disconnect", remaining == 0);
			if (this.full) {
				check(row, "heap after full GC within 5 % between minute 2 and the end", Math.abs(drift) <= 0.05);
			}
			System.out.println("   Soak " + row);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	private void check(Map<String, Object> row, String name, boolean held) {
		@SuppressWarnings("unchecked")
		Map<String, Object> checks = (Map<String, Object>) row.computeIfAbsent("checks",
				(key) -> new LinkedHashMap<>());
		checks.put(name, held);
		if (!held) {
			this.failures.add("Soak check failed: " + name);
		}
	}

	// JMH microbenchmarks in their own forks.

	private void jmh() throws Exception {
		Path json = Path.of("benchmarks", "target", "jmh.json");
		Files.createDirectories(json.getParent());
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jmh.Main",
				"io.livesession.benchmarks.jmh.*"));
		command.addAll(this.full ? List.of("-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "2s")
				: List.of("-f", "1", "-wi", "1", "-w", "500ms", "-i", "1", "-r", "500ms", "-p", "connections=1000"));
		command.addAll(List.of("-rf", "json", "-rff", json.toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(this.logDir.resolve("jmh.log").toFile()))
			.start();
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("JMH failed; see " + this.logDir.resolve("jmh.log"));
		}
		this.results.put("JMH", Report.jmh(json));
	}

	// Helpers.

	private List<Client> connect(Server server, int n, IntFunction<String> user, IntFunction<String> group)
			throws InterruptedException {
		Semaphore inFlight = new Semaphore(64);
		List<Client> clients = new ArrayList<>(n);
		List<CompletableFuture<Client>> futures = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			Client client = new Client(server.kind, user.apply(i), group.apply(i), this.sink);
			inFlight.acquire();
			URI uri = server.uri(i, client.user, client.group);
			futures.add(client.connect(this.http[i % 2], uri).whenComplete((c, ex) -> inFlight.release()));
			clients.add(client);
		}
		List<Client> connected = new ArrayList<>(n);
		int failed = 0;
		for (int i = 0; i < n; i++) {
			try {
				connected.add(futures.get(i).get(60, TimeUnit.SECONDS));
			}
			catch (Exception ex) {
				failed++;
				clients.get(i).close();
			}
		}
		if (failed > 0) {
			String message = server.kind.label + ": " + failed + " of " + n + " connections failed";
			System.out.println("   " + message);
			if (failed > n / 100) {
				throw new IllegalStateException(message);
			}
		}
		return connected;
	}

	private void warmUp(Server server, List<Client> clients) throws InterruptedException {
		Recording recording = newRecording();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (recording.warmed.size() < clients.size() && System.nanoTime() < deadline) {
			server.broadcast(5, 100, "warm", 0, Duration.ofSeconds(30));
			Thread.sleep(200);
		}
		if (recording.warmed.size() < clients.size()) {
			throw new IllegalStateException(server.kind.label + ": only " + recording.warmed.size() + " of "
					+ clients.size() + " clients received the warm-up broadcast");
		}
	}

	private Recording newRecording() {
		Recording recording = new Recording();
		this.recording = recording;
		return recording;
	}

	private static void awaitDeliveries(Recording recording, long expected, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (recording.deliveries.sum() < expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private void disconnect(Server server, List<Client> clients) throws InterruptedException {
		clients.forEach(Client::close);
		long remaining = awaitEmpty(server);
		if (remaining != 0) {
			System.out.println("   " + server.kind.label + ": " + remaining + " connections still registered");
		}
	}

	private static long awaitEmpty(Server server) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		long remaining;
		while ((remaining = num(server.stats(false), "connections")) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		return remaining;
	}

	private static Map<String, Object> row(Server server, int n) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("server", server.kind.label);
		row.put("container", Server.container);
		row.put("connections", n);
		return row;
	}

	private static void latency(Map<String, Object> row, String prefix, Histogram histogram) {
		String p = prefix.isEmpty() ? "" : prefix + "_";
		row.put(p + "count", histogram.getTotalCount());
		row.put(p + "p50Us", histogram.getValueAtPercentile(50));
		row.put(p + "p99Us", histogram.getValueAtPercentile(99));
		row.put(p + "maxUs", histogram.getMaxValue());
	}

	static long num(Map<String, Object> map, String key) {
		Object value = map.get(key);
		return (value instanceof Number number) ? number.longValue() : -1;
	}

	private static void exec(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		process.waitFor(10, TimeUnit.SECONDS);
	}

	@FunctionalInterface
	interface Step {

		void run() throws Exception;

	}

}
