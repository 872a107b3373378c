package io.livesession.benchmarks.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P2 targeted: one user (3 connections), one group and, on livesession, one topic (the
 * group's connections joined to {@code room-<group>}) among a small and a large total.
 *
 * @author livesession
 */
final class P2Targeted {

	private final Bench bench;

	P2Targeted(Bench bench) {
		this.bench = bench;
	}

	void run(Map<Server.Kind, Server> servers) throws Exception {
		int[] totals = this.bench.full ? new int[] { 1000, 19000 } : new int[] { 200, 1200 };
		int count = this.bench.full ? 50 : 10;
		List<Map<String, Object>> p2 = new ArrayList<>();
		this.bench.results.put("P2", p2);
		for (int total : totals) {
			for (Server server : servers.values()) {
				List<Client> clients = this.bench.connect(server, total, (i) -> "user-" + (i / 3), P2Targeted::p2Group);
				this.bench.warmUp(server, clients);
				List<String> targets = new ArrayList<>(
						List.of("user:user-0", "group:g10", "group:g100", "group:g1000"));
				if (server.kind == Server.Kind.LIVE) {
					for (String group : List.of("g10", "g1000")) {
						server.post("/bench/join?group=" + group);
						targets.add("topic:room-" + group);
					}
				}
				for (String target : targets) {
					long members = clients.stream().filter((c) -> c.accepts(target)).count();
					if (members == 0) {
						continue;
					}
					Recording recording = this.bench.newRecording();
					recording.focus = target;
					Map<String, Object> sent = server.broadcast(count, 100, target, 20_000, Duration.ofSeconds(120));
					Bench.awaitDeliveries(recording, count * members, Duration.ofSeconds(20));
					Map<String, Object> row = Bench.row(server, total);
					row.put("target", target);
					row.put("recipients", members);
					row.put("deliveries", recording.deliveries.sum());
					row.put("expected", count * members);
					row.put("sendP50Us", sent.get("sendP50Us"));
					row.put("sendP99Us", sent.get("sendP99Us"));
					Bench.latency(row, "", recording.latency);
					row.put("violations", recording.violations.sum());
					p2.add(row);
					System.out.println("   P2 " + row);
				}
				this.bench.disconnect(server, clients);
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

}
