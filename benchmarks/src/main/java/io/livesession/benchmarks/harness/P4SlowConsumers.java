package io.livesession.benchmarks.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * P4 slow consumers: 5 % of the clients stop reading.
 *
 * @author livesession
 */
final class P4SlowConsumers {

	private final Bench bench;

	P4SlowConsumers(Bench bench) {
		this.bench = bench;
	}

	void run(Map<Server.Kind, Server> servers) throws Exception {
		// The generator decodes every healthy client's 16 KB frames on one CPU: more
		// clients would measure the generator, not the server.
		int n = this.bench.full ? 400 : 100;
		long window = this.bench.full ? 30 : 3;
		int size = 16 * 1024;
		int rate = 20;
		List<Map<String, Object>> p4 = new ArrayList<>();
		this.bench.results.put("P4", p4);
		for (Server server : servers.values()) {
			Map<String, Object> row = Bench.row(server, n);
			row.put("payloadBytes", size);
			row.put("broadcastsPerSecond", rate);
			List<Client> clients = this.bench.connect(server, n, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
			this.bench.warmUp(server, clients);
			CompletableFuture<Map<String, Object>> sent = null;
			// First without, then with every 20th client no longer reading.
			for (boolean stall : new boolean[] { false, true }) {
				int stalled = stall ? n / 20 : 0;
				for (int i = 0; i < stalled; i++) {
					clients.get(i * 20).stalled = true;
				}
				long heapBefore = Bench.num(server.stats(true), "heapUsed");
				Recording recording = this.bench.newRecording();
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
					if (stall && evictedAfter < 0 && Bench.num(server.stats(false), "connections") <= n - stalled) {
						evictedAfter = (System.nanoTime() - start) / 1_000_000;
					}
					if (sent.isDone() && (!stall || evictedAfter >= 0)
							&& recording.deliveries.sum() >= (long) count * (n - stalled)) {
						break;
					}
					Thread.sleep(100);
				}
				String prefix = stall ? "stall" : "noStall";
				Bench.latency(row, prefix, recording.latency);
				row.put(prefix + "Deliveries", recording.deliveries.sum());
				row.put(prefix + "Expected", (long) count * (n - stalled));
				row.put(prefix + "HeapGrowth", Bench.num(server.stats(true), "heapUsed") - heapBefore);
				row.put(prefix + "BroadcastCallFinished", sent.isDone());
				if (stall) {
					row.put("stalledClients", stalled);
					row.put("evictMillis", evictedAfter);
				}
				else if (!sent.isDone()) {
					sent.get(60, TimeUnit.SECONDS);
				}
			}
			this.bench.disconnect(server, clients);
			sent.cancel(true);
			p4.add(row);
			System.out.println("   P4 " + row);
		}
	}

}
