package io.livesession.benchmarks.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The goals from issue 7, evaluated on livesession (P) against R and S of the same run.
 *
 * @author livesession
 */
final class Goals {

	private final Results lookup;

	Goals(Results lookup) {
		this.lookup = lookup;
	}

	List<Map<String, Object>> evaluate() {
		List<Map<String, Object>> goals = new ArrayList<>();
		Map<String, Object> p1p = this.lookup.largest("P1", "P");
		Map<String, Object> p1r = this.lookup.largest("P1", "R");
		Map<String, Object> p1s = this.lookup.largest("P1", "S");
		goal(goals, "P1 p99 ≤ 1.0 × R", Results.ratio(p1p, p1r, "p99Us"), (r) -> r <= 1.0);
		goal(goals, "P1 deliveries/CPU-s ≥ 2 × R", Results.ratio(p1p, p1r, "deliveriesPerCpuSecond"), (r) -> r >= 2);
		goal(goals, "P1 deliveries/CPU-s ≥ 3 × S", Results.ratio(p1p, p1s, "deliveriesPerCpuSecond"), (r) -> r >= 3);
		goal(goals, "P2 large/small total ≤ 1.2 (worst of send-call p99 and delivery p99 over the targets)",
				p2Scaling("P"), (r) -> r <= 1.2);
		goal(goals, "P2 topic target large/small total ≤ 1.2 (O(members), worst over the topics)",
				p2Scaling("P", "topic:"), (r) -> r <= 1.2);
		Map<String, Object> p3p = this.lookup.largest("P3", "P");
		Map<String, Object> p3r = this.lookup.largest("P3", "R");
		Double heapOverR = (p3p != null && p3r != null)
				? (double) (Bench.num(p3p, "heapPerConnection") - Bench.num(p3r, "heapPerConnection")) : null;
		goal(goals, "P3 heap over R ≤ 1 KB per connection (bytes)", heapOverR, (r) -> r <= 1024);
		Map<String, Object> fifty = new LinkedHashMap<>();
		fifty.put("goal", "P3 50k idle connections held");
		fifty.put("value", null);
		fifty.put("met", "not measured: the hard open-files limit here is 20000 per process");
		goals.add(fifty);
		Map<String, Object> p4 = this.lookup.find("P4", (row) -> "P".equals(row.get("server")));
		goal(goals, "P4 healthy p99 with 5 % stalled ≤ 1.2 × no-stall p99", (p4 != null)
				? Bench.num(p4, "stall_p99Us") / (double) Math.max(1, Bench.num(p4, "noStall_p99Us")) : null,
				(r) -> r <= 1.2);
		goal(goals, "P5 action p99 ≤ 1.5 × raw echo p99 (memory)", p5Ratio("memory", "same instance"), (r) -> r <= 1.5);
		goal(goals, "P5 action p99 ≤ 3 × raw echo p99 (Redis, both tabs on one instance)",
				p5Ratio("redis", "same instance"), (r) -> r <= 3);
		goal(goals, "P5 action p99 ≤ 3 × raw echo p99 (Redis, tabs on two instances)",
				p5Ratio("redis", "two instances"), (r) -> r <= 3);
		@SuppressWarnings("unchecked")
		Map<String, Object> p6 = (Map<String, Object>) this.lookup.get("P6");
		goal(goals, "P6 p99 across ≤ 2 × local", Results.ratio(p6, p6, "across_p99Us", "local_p99Us"), (r) -> r <= 2);
		goal(goals, "P6 exactly one PUBLISH per broadcast",
				(p6 != null) ? ((Number) p6.get("publishesPerBroadcast")).doubleValue() : null, (r) -> r == 1.0);
		return goals;
	}

	private @Nullable Double p5Ratio(String phase, String tabs) {
		Map<String, Object> action = this.lookup.find("P5",
				(row) -> phase.equals(row.get("phase")) && String.valueOf(row.get("roundTrip")).startsWith("action")
						&& String.valueOf(row.get("roundTrip")).endsWith(tabs));
		return p5EchoRatio(action);
	}

	/**
	 * An action row's p99 over the raw echo's: the median over the rounds of the ratio to
	 * the echo interleaved with it in the same step, or, in results from before the echo
	 * was interleaved, the phase's echo row.
	 * @param action the action row
	 * @return the ratio, or {@code null} when not measured
	 */
	@Nullable Double p5EchoRatio(@Nullable Map<String, Object> action) {
		if (action != null && action.get("echoRatio") instanceof Number ratio) {
			return ratio.doubleValue();
		}
		if (action != null && action.containsKey("echo_p99Us")) {
			return Results.ratio(action, action, "p99Us", "echo_p99Us");
		}
		Map<String, Object> echo = (action != null)
				? this.lookup.find("P5", (row) -> action.get("phase").equals(row.get("phase"))
						&& String.valueOf(row.get("roundTrip")).startsWith("raw"))
				: null;
		return (action == echo) ? Double.valueOf(1.0) : Results.ratio(action, echo, "p99Us");
	}

	private static void goal(List<Map<String, Object>> goals, String name, @Nullable Double value,
			Predicate<Double> met) {
		Map<String, Object> goal = new LinkedHashMap<>();
		goal.put("goal", name);
		goal.put("value", value);
		goal.put("met", (value != null) ? (met.test(value) ? "yes" : "no") : "not measured");
		goals.add(goal);
	}

	@Nullable Double p2Scaling(String server) {
		return p2Scaling(server, "");
	}

	/**
	 * The worst large/small-total ratio of a server's targets.
	 * @param server the server label
	 * @param targetPrefix only the targets that start with it
	 * @return the ratio, or {@code null} when not measured
	 */
	@Nullable Double p2Scaling(String server, String targetPrefix) {
		List<Map<String, Object>> rows = this.lookup.rows("P2");
		int small = rows.stream().mapToInt((r) -> (int) Bench.num(r, "connections")).min().orElse(0);
		int large = rows.stream().mapToInt((r) -> (int) Bench.num(r, "connections")).max().orElse(0);
		Double worst = null;
		for (Map<String, Object> big : rows) {
			if (!server.equals(big.get("server")) || Bench.num(big, "connections") != large || large == small
					|| !String.valueOf(big.get("target")).startsWith(targetPrefix)) {
				continue;
			}
			Map<String, Object> little = this.lookup.find("P2",
					(r) -> server.equals(r.get("server")) && Bench.num(r, "connections") == small
							&& Objects.equals(r.get("target"), big.get("target"))
							&& Objects.equals(r.get("recipients"), big.get("recipients")));
			if (little == null) {
				continue;
			}
			for (String key : List.of("sendP99Us", "p99Us")) {
				double r = Bench.num(big, key) / (double) Math.max(1, Bench.num(little, key));
				worst = (worst == null) ? r : Math.max(worst, r);
			}
		}
		return worst;
	}

}
