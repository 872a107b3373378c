package io.livesession.benchmarks.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livesession.test.RedisTestServer;

/**
 * P7 routing growth: 1, 2 and 4 instances on one Redis, with
 * {@code livesession.redis.routing} interest and broadcast; every instance hosts users of
 * its own and instance 0 broadcasts to one user of the last instance. Reports, per
 * instance, the messages it received from Redis and the CPU it spent per targeted
 * broadcast, and the p99 of those broadcasts. The CPU of an instance that hosts no
 * recipient is what routing saves: with broadcast routing each one still decodes and
 * matches every message.
 *
 * @author livesession
 */
final class P7RoutingGrowth {

	private final Bench bench;

	private final Path logDir;

	private final int portBase;

	P7RoutingGrowth(Bench bench, Path logDir, int portBase) {
		this.bench = bench;
		this.logDir = logDir;
		this.portBase = portBase;
	}

	void run(RedisTestServer redis, String[] onRedis) throws Exception {
		int perInstance = this.bench.full ? 1000 : 100;
		int count = this.bench.full ? 200 : 50;
		List<Map<String, Object>> rows = new ArrayList<>();
		this.bench.results.put("P7", rows);
		for (String routing : List.of("interest", "broadcast")) {
			for (int n : new int[] { 1, 2, 4 }) {
				List<Server> servers = new ArrayList<>();
				try {
					for (int i = 0; i < n; i++) {
						List<String> args = new ArrayList<>(List.of(onRedis));
						args.add("--livesession.redis.routing=" + routing);
						servers.add(Server.start(Server.Kind.LIVE, this.portBase + 20 + i, null, this.logDir,
								args.toArray(String[]::new)));
					}
					for (Server server : servers) {
						server.awaitUp(Duration.ofSeconds(180));
					}
					rows.add(measure(servers, routing, perInstance, count));
				}
				finally {
					servers.forEach(Server::close);
				}
			}
		}
	}

	private Map<String, Object> measure(List<Server> servers, String routing, int perInstance, int count)
			throws Exception {
		List<List<Client>> clients = new ArrayList<>();
		for (int s = 0; s < servers.size(); s++) {
			int instance = s;
			clients.add(this.bench.connect(servers.get(s), perInstance, (i) -> "i" + instance + "-user-" + (i / 2),
					(i) -> "i" + instance + "-g" + (i / 10)));
		}
		Server last = servers.get(servers.size() - 1);
		List<Client> lastClients = clients.get(clients.size() - 1);
		this.bench.warmUp(last, lastClients);
		String target = "user:i" + (servers.size() - 1) + "-user-0";
		long recipients = lastClients.stream().filter((c) -> c.accepts(target)).count();
		// Each instance's CPU while idle (heartbeats, presence, JIT settling), over a
		// second of the same run, is subtracted from what it spent while broadcasting.
		List<Long> idleStart = cpuNanos(servers);
		long idleStarted = System.nanoTime();
		Thread.sleep(1000);
		List<Long> before = received(servers);
		List<Long> cpuBefore = cpuNanos(servers);
		long started = System.nanoTime();
		long idleNanos = started - idleStarted;
		Recording recording = this.bench.newRecording();
		recording.focus = target;
		servers.get(0).broadcast(count, 100, target, 10_000, Duration.ofSeconds(120));
		Bench.awaitDeliveries(recording, count * recipients, Duration.ofSeconds(30));
		// Messages still in flight to instances that do not host the user.
		Thread.sleep(500);
		List<Long> after = received(servers);
		List<Long> cpuAfter = cpuNanos(servers);
		long window = System.nanoTime() - started;
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("routing", routing);
		row.put("instances", servers.size());
		row.put("connections", (long) perInstance * servers.size());
		row.put("broadcasts", count);
		row.put("deliveries", recording.deliveries.sum());
		row.put("expected", count * recipients);
		List<Double> perBroadcast = new ArrayList<>();
		double total = 0;
		for (int i = 0; i < servers.size(); i++) {
			double value = (after.get(i) - before.get(i)) / (double) count;
			perBroadcast.add(value);
			total += value;
		}
		row.put("receivedPerBroadcastByInstance", perBroadcast);
		row.put("receivedPerBroadcastTotal", total);
		List<Long> cpuPerBroadcast = new ArrayList<>();
		long cpuTotal = 0;
		for (int i = 0; i < servers.size(); i++) {
			double idleRate = (cpuBefore.get(i) - idleStart.get(i)) / (double) idleNanos;
			long nanos = Math.max(0, cpuAfter.get(i) - cpuBefore.get(i) - Math.round(idleRate * window));
			cpuPerBroadcast.add(Math.round(nanos / 1e3 / count));
			cpuTotal += nanos;
		}
		row.put("cpuUsPerBroadcastByInstance", cpuPerBroadcast);
		row.put("cpuUsPerDelivery", Math.round(cpuTotal / 1e3 / Math.max(1, recording.deliveries.sum())));
		Bench.latency(row, "", recording.latency);
		System.out.println("   P7 " + row);
		for (int s = 0; s < servers.size(); s++) {
			this.bench.disconnect(servers.get(s), clients.get(s));
		}
		return row;
	}

	private static List<Long> cpuNanos(List<Server> servers) {
		List<Long> nanos = new ArrayList<>();
		for (Server server : servers) {
			nanos.add(Bench.num(server.stats(false), "cpuNanos"));
		}
		return nanos;
	}

	private static List<Long> received(List<Server> servers) {
		List<Long> counts = new ArrayList<>();
		for (Server server : servers) {
			counts.add(((Number) server.get("/bench/redis").get("received")).longValue());
		}
		return counts;
	}

}
