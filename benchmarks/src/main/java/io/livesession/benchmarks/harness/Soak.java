package io.livesession.benchmarks.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Soak: actions, broadcasts and churn at fixed rates, then correctness checks.
 *
 * @author livesession
 */
final class Soak {

	private final Bench bench;

	Soak(Bench bench) {
		this.bench = bench;
	}

	void run(Server server) throws Exception {
		int n = this.bench.full ? 10000 : 200;
		long seconds = this.bench.full ? 600 : 10;
		int actionsPerSecond = this.bench.full ? 500 : 50;
		int broadcastsPerSecond = this.bench.full ? 50 : 10;
		int churnPerSecond = this.bench.full ? 100 : 10;
		Map<String, Object> row = new LinkedHashMap<>();
		this.bench.results.put("Soak", row);
		row.put("connections", n);
		row.put("seconds", seconds);
		row.put("actionsPerSecond", actionsPerSecond);
		row.put("broadcastsPerSecond", broadcastsPerSecond);
		row.put("connectsAndDisconnectsPerSecond", churnPerSecond);
		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
		List<Client> churn = new ArrayList<>();
		try {
			List<Client> clients = this.bench.connect(server, n, (i) -> "su-" + (i / 3), (i) -> "sg-" + (i / 10));
			this.bench.warmUp(server, clients);
			Recording recording = this.bench.newRecording();
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
			List<ScheduledFuture<?>> tasks = new ArrayList<>();
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
				Client client = new Client(Server.Kind.LIVE, "cu-" + i, "cg-" + (i % 50), this.bench.sink);
				try {
					client.connect(this.bench.http[i % 2], server.uri(i, client.user, client.group))
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
				if (this.bench.full && heapMinute2 == null && System.nanoTime() - start > TimeUnit.MINUTES.toNanos(2)) {
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
			Bench.latency(row, "broadcast", recording.latency);
			row.put("framesOutsideTarget", recording.violations.sum());
			row.put("churnConnects", churnIndex.get());
			row.put("churnConnectFailures", churnFailures.sum());
			row.put("heapAfterGcStart", Bench.num(heapStart, "heapUsed"));
			if (heapMinute2 != null) {
				row.put("heapAfterGcMinute2", Bench.num(heapMinute2, "heapUsed"));
			}
			row.put("heapAfterGcEnd", Bench.num(heapEnd, "heapUsed"));
			Map<String, Object> reference = (heapMinute2 != null) ? heapMinute2 : heapStart;
			double drift = (Bench.num(heapEnd, "heapUsed") - Bench.num(reference, "heapUsed"))
					/ (double) Bench.num(reference, "heapUsed");
			row.put("heapDrift", drift);
			clients.forEach(Client::close);
			synchronized (churn) {
				churn.forEach(Client::close);
			}
			long remaining = Bench.awaitEmpty(server);
			row.put("registryAfterDisconnect", remaining);
			this.bench.check(row, "no acknowledged update lost", lost == 0);
			this.bench.check(row, "every action acknowledged", acks.sum() == actionsSent.get() && errors.sum() == 0);
			this.bench.check(row, "no frame outside its group or user", recording.violations.sum() == 0);
			this.bench.check(row, "registry empty after all disconnect", remaining == 0);
			if (this.bench.full) {
				this.bench.check(row, "heap after full GC within 5 % between minute 2 and the end",
						Math.abs(drift) <= 0.05);
			}
			System.out.println("   Soak " + row);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

}
