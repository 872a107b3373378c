package io.livesession.benchmarks.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * P1 broadcast to all, and P3 idle memory measured while the P1 connections are idle:
 * alternating rounds on every server, whose medians are reported.
 *
 * @author livesession
 */
final class P1Broadcast {

	private final Bench bench;

	P1Broadcast(Bench bench) {
		this.bench = bench;
	}

	void run(Map<Server.Kind, Server> servers) throws Exception {
		int[] sizes = (this.bench.p1Sizes != null) ? this.bench.p1Sizes
				: this.bench.full ? new int[] { 1000, 5000, 10000 } : new int[] { 300 };
		int count = this.bench.full ? 100 : 20;
		List<Map<String, Object>> p1 = new ArrayList<>();
		List<Map<String, Object>> p3 = new ArrayList<>();
		this.bench.results.put("P1", p1);
		this.bench.results.put("P3", p3);
		for (int n : sizes) {
			Map<Server, List<Map<String, Object>>> measured = new LinkedHashMap<>();
			for (int round = 0; round < this.bench.rounds; round++) {
				// Alternating: every server goes first as often, so a busy moment of the
				// machine does not always fall on the same one.
				List<Server> order = new ArrayList<>(servers.values());
				Collections.rotate(order, -round);
				for (Server server : order) {
					Map<String, Object> row = p1Round(server, n, count, p3, round == 0);
					measured.computeIfAbsent(server, (key) -> new ArrayList<>()).add(row);
				}
			}
			for (Server server : servers.values()) {
				Map<String, Object> row = Bench.median(measured.get(server));
				p1.add(row);
				System.out.println("   P1 " + row);
			}
		}
	}

	private Map<String, Object> p1Round(Server server, int n, int count, List<Map<String, Object>> p3,
			boolean measureIdle) throws Exception {
		Map<String, Object> before = server.stats(true);
		List<Client> clients = this.bench.connect(server, n, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
		Thread.sleep(1000);
		if (measureIdle) {
			Map<String, Object> idle = server.stats(true);
			Map<String, Object> row3 = Bench.row(server, n);
			row3.put("heapPerConnection", (Bench.num(idle, "heapUsed") - Bench.num(before, "heapUsed")) / n);
			row3.put("rssPerConnection", (Bench.num(idle, "rss") - Bench.num(before, "rss")) / n);
			row3.put("heapUsed", Bench.num(idle, "heapUsed"));
			row3.put("rss", Bench.num(idle, "rss"));
			p3.add(row3);
		}
		this.bench.warmUp(server, clients);
		// An unmeasured pass of the same pattern, so the JIT has seen it.
		Recording warm = this.bench.newRecording();
		server.broadcast(count, 100, "all", 50_000, Duration.ofSeconds(120));
		Bench.awaitDeliveries(warm, (long) count * clients.size(), Duration.ofSeconds(30));
		Recording recording = this.bench.newRecording();
		long cpuBefore = Bench.num(server.stats(false), "cpuNanos");
		Map<String, Object> sent = server.broadcast(count, 100, "all", 50_000, Duration.ofSeconds(120));
		Bench.awaitDeliveries(recording, (long) count * clients.size(), Duration.ofSeconds(30));
		long cpu = Bench.num(server.stats(false), "cpuNanos") - cpuBefore;
		Map<String, Object> row = Bench.row(server, n);
		row.put("broadcasts", count);
		row.put("deliveries", recording.deliveries.sum());
		row.put("expected", (long) count * clients.size());
		Bench.latency(row, "", recording.latency);
		row.put("cpuSeconds", cpu / 1e9);
		row.put("deliveriesPerCpuSecond", recording.deliveries.sum() / Math.max(1e-9, cpu / 1e9));
		row.put("sendP99Us", sent.get("sendP99Us"));
		System.out.println("   P1 round " + row);
		this.bench.disconnect(server, clients);
		return row;
	}

}
