package io.livesession.benchmarks.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What the scenarios share: the mode, the results and failures, the load generator's HTTP
 * clients and the recording of what its clients receive, and the helpers that connect,
 * warm up and disconnect clients and turn measurements into rows.
 *
 * @author livesession
 */
final class Bench {

	final boolean full;

	/** Alternating rounds whose medians are reported. */
	final int rounds;

	/** Overrides the P1/P3 connection counts (development only). */
	final int @Nullable [] p1Sizes;

	final Path logDir;

	final Map<String, Object> results = new LinkedHashMap<>();

	final List<String> failures = new ArrayList<>();

	final HttpClient[] http;

	private volatile Recording recording = new Recording();

	final Client.Sink sink = (client, sent, target) -> this.recording.broadcast(client, sent, target);

	Bench(boolean full, int rounds, int @Nullable [] p1Sizes, Path logDir) {
		this.full = full;
		this.rounds = rounds;
		this.p1Sizes = p1Sizes;
		this.logDir = logDir;
		ExecutorService executor = Executors.newFixedThreadPool(3, (runnable) -> {
			Thread thread = new Thread(runnable, "ws-client");
			thread.setDaemon(true);
			return thread;
		});
		this.http = new HttpClient[] { HttpClient.newBuilder().executor(executor).build(),
				HttpClient.newBuilder().executor(executor).build() };
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

	void check(Map<String, Object> row, String name, boolean held) {
		@SuppressWarnings("unchecked")
		Map<String, Object> checks = (Map<String, Object>) row.computeIfAbsent("checks",
				(key) -> new LinkedHashMap<>());
		checks.put(name, held);
		if (!held) {
			this.failures.add("Soak check failed: " + name);
		}
	}

	List<Client> connect(Server server, int n, IntFunction<String> user, IntFunction<String> group)
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

	void warmUp(Server server, List<Client> clients) throws InterruptedException {
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

	Recording newRecording() {
		Recording recording = new Recording();
		this.recording = recording;
		return recording;
	}

	static void awaitDeliveries(Recording recording, long expected, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (recording.deliveries.sum() < expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	void disconnect(Server server, List<Client> clients) throws InterruptedException {
		clients.forEach(Client::close);
		long remaining = awaitEmpty(server);
		if (remaining != 0) {
			System.out.println("   " + server.kind.label + ": " + remaining + " connections still registered");
		}
	}

	static long awaitEmpty(Server server) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		long remaining;
		while ((remaining = num(server.stats(false), "connections")) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		return remaining;
	}

	static Map<String, Object> row(Server server, int n) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("server", server.kind.label);
		row.put("container", Server.container);
		row.put("connections", n);
		return row;
	}

	static void latency(Map<String, Object> row, String prefix, Histogram histogram) {
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

	@FunctionalInterface
	interface Step {

		void run() throws Exception;

	}

}
