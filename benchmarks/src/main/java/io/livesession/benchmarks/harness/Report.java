package io.livesession.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes docs/benchmarks.md (tables, ratios to R and S, goals) and docs/benchmarks.json
 * from one run's results.
 *
 * @author livesession
 */
final class Report {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, Object> results;

	private final StringBuilder md = new StringBuilder();

	private Report(Map<String, Object> results) {
		this.results = results;
	}

	static void write(Path out, Map<String, Object> results) throws IOException {
		Files.createDirectories(out);
		Report report = new Report(results);
		results.put("goals", report.goals());
		Files.writeString(out.resolve("benchmarks.json"),
				JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n");
		Files.writeString(out.resolve("benchmarks.md"), report.markdown());
	}

	/**
	 * Render the report again from a results file written by {@link #write}.
	 * @param results the results file
	 * @param out where to write the report and the results
	 * @throws IOException when the file cannot be read or the report written
	 */
	@SuppressWarnings("unchecked")
	static void rewrite(Path results, Path out) throws IOException {
		Map<String, Object> read = JSON.readValue(Files.readString(results), java.util.LinkedHashMap.class);
		read.remove("goals");
		write(out, read);
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> jmh(Path json) throws IOException {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Object entry : JSON.readValue(json.toFile(), List.class)) {
			Map<String, Object> result = (Map<String, Object>) entry;
			Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
			Map<String, Object> row = new LinkedHashMap<>();
			String benchmark = (String) result.get("benchmark");
			row.put("benchmark", benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
			row.put("params", Objects.toString(result.get("params"), ""));
			row.put("score", metric.get("score"));
			row.put("error", metric.get("scoreError"));
			row.put("unit", metric.get("scoreUnit"));
			rows.add(row);
		}
		return rows;
	}

	// Goals from issue 7, evaluated on livesession (P) against R and S of the same run.

	private List<Map<String, Object>> goals() {
		List<Map<String, Object>> goals = new ArrayList<>();
		Map<String, Object> p1p = largest("P1", "P");
		Map<String, Object> p1r = largest("P1", "R");
		Map<String, Object> p1s = largest("P1", "S");
		goal(goals, "P1 p99 ≤ 1.0 × R", ratio(p1p, p1r, "p99Us"), (r) -> r <= 1.0);
		goal(goals, "P1 deliveries/CPU-s ≥ 2 × R", ratio(p1p, p1r, "deliveriesPerCpuSecond"), (r) -> r >= 2);
		goal(goals, "P1 deliveries/CPU-s ≥ 3 × S", ratio(p1p, p1s, "deliveriesPerCpuSecond"), (r) -> r >= 3);
		goal(goals, "P2 large/small total ≤ 1.2 (worst of send-call p99 and delivery p99 over the targets)",
				p2Scaling("P"), (r) -> r <= 1.2);
		Map<String, Object> p3p = largest("P3", "P");
		Map<String, Object> p3r = largest("P3", "R");
		Double heapOverR = (p3p != null && p3r != null)
				? (double) (Bench.num(p3p, "heapPerConnection") - Bench.num(p3r, "heapPerConnection")) : null;
		goal(goals, "P3 heap over R ≤ 1 KB per connection (bytes)", heapOverR, (r) -> r <= 1024);
		Map<String, Object> fifty = new LinkedHashMap<>();
		fifty.put("goal", "P3 50k idle connections held");
		fifty.put("value", null);
		fifty.put("met", "not measured: the hard open-files limit here is 20000 per process");
		goals.add(fifty);
		Map<String, Object> p4 = find("P4", (row) -> "P".equals(row.get("server")));
		goal(goals, "P4 healthy p99 with 5 % stalled ≤ 1.2 × no-stall p99", (p4 != null)
				? Bench.num(p4, "stall_p99Us") / (double) Math.max(1, Bench.num(p4, "noStall_p99Us")) : null,
				(r) -> r <= 1.2);
		goal(goals, "P5 action p99 ≤ 1.5 × raw echo p99 (memory)", p5Ratio("memory", "same instance"), (r) -> r <= 1.5);
		goal(goals, "P5 action p99 ≤ 3 × raw echo p99 (Redis, both tabs on one instance)",
				p5Ratio("redis", "same instance"), (r) -> r <= 3);
		goal(goals, "P5 action p99 ≤ 3 × raw echo p99 (Redis, tabs on two instances)",
				p5Ratio("redis", "two instances"), (r) -> r <= 3);
		@SuppressWarnings("unchecked")
		Map<String, Object> p6 = (Map<String, Object>) this.results.get("P6");
		goal(goals, "P6 p99 across ≤ 2 × local", ratio(p6, p6, "across_p99Us", "local_p99Us"), (r) -> r <= 2);
		goal(goals, "P6 exactly one PUBLISH per broadcast",
				(p6 != null) ? ((Number) p6.get("publishesPerBroadcast")).doubleValue() : null, (r) -> r == 1.0);
		return goals;
	}

	private @Nullable Double p5Ratio(String phase, String tabs) {
		Map<String, Object> action = find("P5",
				(row) -> phase.equals(row.get("phase")) && String.valueOf(row.get("roundTrip")).startsWith("action")
						&& String.valueOf(row.get("roundTrip")).endsWith(tabs));
		return ratio(action, p5Echo(phase), "p99Us");
	}

	private @Nullable Map<String, Object> p5Echo(String phase) {
		return find("P5",
				(row) -> phase.equals(row.get("phase")) && String.valueOf(row.get("roundTrip")).startsWith("raw"));
	}

	private static void goal(List<Map<String, Object>> goals, String name, @Nullable Double value,
			Predicate<Double> met) {
		Map<String, Object> goal = new LinkedHashMap<>();
		goal.put("goal", name);
		goal.put("value", value);
		goal.put("met", (value != null) ? (met.test(value) ? "yes" : "no") : "not measured");
		goals.add(goal);
	}

	private @Nullable Double p2Scaling(String server) {
		List<Map<String, Object>> rows = rows("P2");
		int small = rows.stream().mapToInt((r) -> (int) Bench.num(r, "connections")).min().orElse(0);
		int large = rows.stream().mapToInt((r) -> (int) Bench.num(r, "connections")).max().orElse(0);
		Double worst = null;
		for (Map<String, Object> big : rows) {
			if (!server.equals(big.get("server")) || Bench.num(big, "connections") != large || large == small) {
				continue;
			}
			Map<String, Object> little = find("P2",
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

	// Markdown.

	private String markdown() {
		@SuppressWarnings("unchecked")
		Map<String, Object> machine = (Map<String, Object>) this.results.get("machine");
		boolean quick = "quick".equals(machine.get("mode"));
		line("# Benchmarks");
		line("");
		line("<!-- Generated by benchmarks/ (io.livesession.benchmarks.harness.Harness); do not edit by hand: "
				+ "edit benchmarks/src/main/resources/benchmarks-notes.md or the harness and run it again. -->");
		line("");
		if (quick) {
			line("> **Quick-mode figures.** Small connection counts and second-long windows on a shared 2-core "
					+ "machine: they show that every scenario runs and the soak's checks hold, not how fast "
					+ "anything is. Run `--mode=full` for the figures the goals are meant for.");
			line("");
		}
		line("livesession (**P**) next to the baseline limit, a plain `WebSocketHandler` looping `sendMessage` over "
				+ "pre-selected sessions (**R**), and Spring's STOMP simple broker (**S**). The three servers run "
				+ "with identical container and JVM settings as separate processes; the load generator is a "
				+ "fourth process. Latencies are in microseconds, from the server's epoch-microsecond stamp in "
				+ "the payload to the client's arrival time, recorded in HdrHistogram.");
		line("");
		line("## Run it");
		line("");
		line("```");
		line("./mvnw -q -pl benchmarks -am package -DskipTests");
		line("java -jar benchmarks/target/benchmarks.jar --mode=quick   # < 3 minutes, what CI runs");
		line("java -jar benchmarks/target/benchmarks.jar --mode=full    # about 25 minutes");
		line("java -jar benchmarks/target/benchmarks.jar --mode=full --container=jetty --out=docs/jetty");
		line("```");
		line("");
		line("Container: " + this.results.getOrDefault("container", "tomcat") + "; P1 rows are medians of "
				+ this.results.getOrDefault("rounds", 1) + " alternating round(s) (`--rounds=N`, 5 in full mode).");
		line("");
		line("Run from the repository root. It writes `docs/benchmarks.md` and `docs/benchmarks.json` "
				+ "(`--out=DIR` elsewhere) and exits non-zero only when a scenario produced no numbers or a soak "
				+ "correctness check failed, never because something was slow. Server logs and the JMH log are "
				+ "in `benchmarks/target/bench-logs`. JMH alone: `java -cp benchmarks/target/benchmarks.jar "
				+ "org.openjdk.jmh.Main io.livesession.benchmarks.jmh`. After editing the notes, "
				+ "`--report-from=docs/benchmarks.json` renders this page again from the recorded results.");
		line("");
		line("## Machine");
		line("");
		line("| fact | value |");
		line("|---|---|");
		machine.forEach((key, value) -> line("| " + key + " | " + value + " |"));
		line("| run took | " + this.results.get("durationSeconds") + " s |");
		line("");
		line("## Goals (issue 7)");
		line("");
		line("| goal | livesession | met |");
		line("|---|---|---|");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> goals = (List<Map<String, Object>>) this.results.get("goals");
		for (Map<String, Object> goal : goals) {
			line("| " + goal.get("goal") + " | " + fmt(goal.get("value")) + " | " + goal.get("met") + " |");
		}
		line("");
		p1();
		p2();
		p3();
		p4();
		p5();
		p6();
		soak();
		jmh();
		@SuppressWarnings("unchecked")
		List<String> failures = (List<String>) this.results.get("failures");
		line("## Failures of this run");
		line("");
		line(failures.isEmpty() ? "None: every scenario produced numbers and every soak check held." : "");
		failures.forEach((failure) -> line("- " + failure));
		line("");
		line(notes());
		return this.md.toString();
	}

	private void p1() {
		line("## P1 broadcast to all");
		line("");
		line("100-byte payload, 20 broadcasts/s. Ratios are P / R and P / S at the same connection count.");
		line("");
		line("| server | connections | deliveries / expected | p50 | p99 | max | deliveries per CPU-s | "
				+ "p99 ÷ R | p99 ÷ S | deliveries/CPU-s ÷ R | ÷ S |");
		line("|---|---|---|---|---|---|---|---|---|---|---|");
		for (Map<String, Object> row : rows("P1")) {
			Map<String, Object> r = same("P1", row, "R");
			Map<String, Object> s = same("P1", row, "S");
			line("| " + row.get("server") + " | " + row.get("connections") + " | " + row.get("deliveries") + " / "
					+ row.get("expected") + " | " + row.get("p50Us") + " | " + row.get("p99Us") + " | "
					+ row.get("maxUs") + " | " + fmt(row.get("deliveriesPerCpuSecond")) + " | "
					+ fmt(ratio(row, r, "p99Us")) + " | " + fmt(ratio(row, s, "p99Us")) + " | "
					+ fmt(ratio(row, r, "deliveriesPerCpuSecond")) + " | "
					+ fmt(ratio(row, s, "deliveriesPerCpuSecond")) + " |");
		}
		line("");
	}

	private void p2() {
		line("## P2 targeted");
		line("");
		line("One user (3 connections) and groups of 10, 100 and 1,000 (capped by the total) among a small and a "
				+ "large total. Send-call time is measured on the server around the broadcast call (S: "
				+ "`convertAndSend`, which hands off to the broker's threads).");
		line("");
		line("| server | total | target | recipients | deliveries / expected | send p50 | send p99 | delivery p99 | "
				+ "send p99 ÷ R | delivery p99 ÷ R | delivery p99 ÷ S |");
		line("|---|---|---|---|---|---|---|---|---|---|---|");
		for (Map<String, Object> row : rows("P2")) {
			Map<String, Object> r = find("P2",
					(o) -> "R".equals(o.get("server")) && sameKey(o, row, "connections") && sameKey(o, row, "target"));
			Map<String, Object> s = find("P2",
					(o) -> "S".equals(o.get("server")) && sameKey(o, row, "connections") && sameKey(o, row, "target"));
			line("| " + row.get("server") + " | " + row.get("connections") + " | " + row.get("target") + " | "
					+ row.get("recipients") + " | " + row.get("deliveries") + " / " + row.get("expected") + " | "
					+ row.get("sendP50Us") + " | " + row.get("sendP99Us") + " | " + row.get("p99Us") + " | "
					+ fmt(ratio(row, r, "sendP99Us")) + " | " + fmt(ratio(row, r, "p99Us")) + " | "
					+ fmt(ratio(row, s, "p99Us")) + " |");
		}
		line("");
		line("Large/small-total ratio (worst of send p99 and delivery p99 over the targets): P " + fmt(p2Scaling("P"))
				+ ", R " + fmt(p2Scaling("R")) + ", S " + fmt(p2Scaling("S")) + ".");
		line("");
	}

	private void p3() {
		line("## P3 idle memory");
		line("");
		line("Heap after a full GC and RSS, before and after opening the connections, divided by their number.");
		line("");
		line("| server | connections | heap per connection (B) | RSS per connection (B) | heap over R (B) | "
				+ "heap over S (B) |");
		line("|---|---|---|---|---|---|");
		for (Map<String, Object> row : rows("P3")) {
			Map<String, Object> r = same("P3", row, "R");
			Map<String, Object> s = same("P3", row, "S");
			line("| " + row.get("server") + " | " + row.get("connections") + " | " + row.get("heapPerConnection")
					+ " | " + row.get("rssPerConnection") + " | " + diff(row, r, "heapPerConnection") + " | "
					+ diff(row, s, "heapPerConnection") + " |");
		}
		line("");
	}

	private void p4() {
		line("## P4 slow consumers");
		line("");
		line("16 KB payloads at 20 broadcasts/s to all; then, on the same connections, with every 20th client no "
				+ "longer reading "
				+ "(TCP backs up to the server). Latencies of healthy clients only. Time to evict = until the server's "
				+ "connection count dropped by the stalled clients (-1: not within the window).");
		line("");
		line("| server | connections | stalled | no-stall p99 | stall p99 | stall p99 ÷ no-stall p99 | stall max | "
				+ "healthy deliveries / expected | heap growth (B) | time to evict (ms) | broadcast call returned |");
		line("|---|---|---|---|---|---|---|---|---|---|---|");
		for (Map<String, Object> row : rows("P4")) {
			line("| " + row.get("server") + " | " + row.get("connections") + " | " + row.get("stalledClients") + " | "
					+ row.get("noStall_p99Us") + " | " + row.get("stall_p99Us") + " | "
					+ fmt(ratio(row, row, "stall_p99Us", "noStall_p99Us")) + " | " + row.get("stall_maxUs") + " | "
					+ row.get("stallDeliveries") + " / " + row.get("stallExpected") + " | " + row.get("stallHeapGrowth")
					+ " | " + row.get("evictMillis") + " | " + row.get("stallBroadcastCallFinished") + " |");
		}
		line("");
	}

	private void p5() {
		line("## P5 action round trip");
		line("");
		line("Tab A sends `increment`, tab B (same group) receives the `state` frame, one at a time; against a raw "
				+ "echo round trip on R (`echo` columns). STOMP has no equivalent here.");
		line("");
		line("| phase | round trip | count | p50 | p99 | max | p99 ÷ raw echo p99 of the phase |");
		line("|---|---|---|---|---|---|---|");
		for (Map<String, Object> row : rows("P5")) {
			line("| " + row.get("phase") + " | " + row.get("roundTrip") + " | " + row.get("count") + " | "
					+ row.get("p50Us") + " | " + row.get("p99Us") + " | " + row.get("maxUs") + " | "
					+ fmt(ratio(row, p5Echo(String.valueOf(row.get("phase"))), "p99Us")) + " |");
		}
		line("");
	}

	@SuppressWarnings("unchecked")
	private void p6() {
		line("## P6 cross-instance on Redis");
		line("");
		Map<String, Object> row = (Map<String, Object>) this.results.get("P6");
		if (row == null) {
			line("Did not run.");
			line("");
			return;
		}
		line("Two livesession instances on a private redis-server, half the clients on each, broadcasts to all "
				+ "published on the first. PUBLISH calls counted with `INFO commandstats`.");
		line("");
		line("| connections | deliveries / expected | local p50 | local p99 | across p50 | across p99 | "
				+ "across p99 ÷ local p99 | PUBLISH per broadcast |");
		line("|---|---|---|---|---|---|---|---|");
		line("| " + row.get("connections") + " | " + row.get("deliveries") + " / " + row.get("expected") + " | "
				+ row.get("local_p50Us") + " | " + row.get("local_p99Us") + " | " + row.get("across_p50Us") + " | "
				+ row.get("across_p99Us") + " | " + fmt(ratio(row, row, "across_p99Us", "local_p99Us")) + " | "
				+ fmt(row.get("publishesPerBroadcast")) + " |");
		line("");
	}

	@SuppressWarnings("unchecked")
	private void soak() {
		line("## Soak (livesession, in memory)");
		line("");
		Map<String, Object> row = (Map<String, Object>) this.results.get("Soak");
		if (row == null) {
			line("Did not run.");
			line("");
			return;
		}
		line("Stable connections send `increment` actions and receive group- and user-targeted broadcasts while "
				+ "other connections open and close. Heap drift is after a full GC, minute 2 (start in quick "
				+ "mode) to the end; asserted only in full mode.");
		line("");
		line("| figure | value |");
		line("|---|---|");
		row.forEach((key, value) -> {
			if (!"checks".equals(key)) {
				line("| " + key + " | " + fmt(value) + " |");
			}
		});
		line("");
		line("| check | held |");
		line("|---|---|");
		((Map<String, Object>) row.getOrDefault("checks", Map.of()))
			.forEach((key, value) -> line("| " + key + " | " + value + " |"));
		line("");
	}

	private void jmh() {
		line("## JMH microbenchmarks");
		line("");
		List<Map<String, Object>> rows = rows("JMH");
		if (rows.isEmpty()) {
			line("Did not run.");
			line("");
			return;
		}
		line("| benchmark | params | score | error | unit |");
		line("|---|---|---|---|---|");
		for (Map<String, Object> row : rows) {
			line("| " + row.get("benchmark") + " | " + row.get("params") + " | " + fmt(row.get("score")) + " | "
					+ fmt(row.get("error")) + " | " + row.get("unit") + " |");
		}
		line("");
	}

	private static String notes() {
		try (InputStream input = Report.class.getResourceAsStream("/benchmarks-notes.md")) {
			return (input != null) ? new String(input.readAllBytes(), StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	// Lookups.

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> rows(String scenario) {
		Object rows = this.results.get(scenario);
		return (rows instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	private @Nullable Map<String, Object> find(String scenario, Predicate<Map<String, Object>> filter) {
		return rows(scenario).stream().filter(filter).findFirst().orElse(null);
	}

	private @Nullable Map<String, Object> largest(String scenario, String server) {
		return rows(scenario).stream()
			.filter((row) -> server.equals(row.get("server")))
			.max((a, b) -> Long.compare(Bench.num(a, "connections"), Bench.num(b, "connections")))
			.orElse(null);
	}

	private @Nullable Map<String, Object> same(String scenario, Map<String, Object> row, String server) {
		return find(scenario, (other) -> server.equals(other.get("server")) && sameKey(other, row, "connections"));
	}

	private static boolean sameKey(Map<String, Object> a, Map<String, Object> b, String key) {
		return Objects.equals(a.get(key), b.get(key));
	}

	private static @Nullable Double ratio(@Nullable Map<String, Object> a, @Nullable Map<String, Object> b,
			String key) {
		return ratio(a, b, key, key);
	}

	private static @Nullable Double ratio(@Nullable Map<String, Object> a, @Nullable Map<String, Object> b, String keyA,
			String keyB) {
		if (a == null || b == null || !(a.get(keyA) instanceof Number x) || !(b.get(keyB) instanceof Number y)
				|| y.doubleValue() == 0) {
			return null;
		}
		return x.doubleValue() / y.doubleValue();
	}

	private static String diff(Map<String, Object> a, @Nullable Map<String, Object> b, String key) {
		return (b != null) ? Long.toString(Bench.num(a, key) - Bench.num(b, key)) : "";
	}

	private static String fmt(@Nullable Object value) {
		if (value == null) {
			return "–";
		}
		if (value instanceof Double d) {
			return (Math.abs(d) >= 1000) ? String.format(Locale.ROOT, "%,.0f", d)
					: String.format(Locale.ROOT, "%.3f", d);
		}
		return value.toString();
	}

	private void line(String text) {
		this.md.append(text).append('\n');
	}

}
