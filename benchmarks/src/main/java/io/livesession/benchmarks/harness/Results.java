package io.livesession.benchmarks.harness;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Lookups in one run's results, for the goals and the report.
 *
 * @author livesession
 */
final class Results {

	private final Map<String, Object> results;

	Results(Map<String, Object> results) {
		this.results = results;
	}

	@Nullable Object get(String key) {
		return this.results.get(key);
	}

	@SuppressWarnings("unchecked")
	List<Map<String, Object>> rows(String scenario) {
		Object rows = this.results.get(scenario);
		return (rows instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	@Nullable Map<String, Object> find(String scenario, Predicate<Map<String, Object>> filter) {
		return rows(scenario).stream().filter(filter).findFirst().orElse(null);
	}

	@Nullable Map<String, Object> largest(String scenario, String server) {
		return rows(scenario).stream()
			.filter((row) -> server.equals(row.get("server")))
			.max((a, b) -> Long.compare(Bench.num(a, "connections"), Bench.num(b, "connections")))
			.orElse(null);
	}

	@Nullable Map<String, Object> same(String scenario, Map<String, Object> row, String server) {
		return find(scenario, (other) -> server.equals(other.get("server")) && sameKey(other, row, "connections"));
	}

	static boolean sameKey(Map<String, Object> a, Map<String, Object> b, String key) {
		return Objects.equals(a.get(key), b.get(key));
	}

	static @Nullable Double ratio(@Nullable Map<String, Object> a, @Nullable Map<String, Object> b, String key) {
		return ratio(a, b, key, key);
	}

	static @Nullable Double ratio(@Nullable Map<String, Object> a, @Nullable Map<String, Object> b, String keyA,
			String keyB) {
		if (a == null || b == null || !(a.get(keyA) instanceof Number x) || !(b.get(keyB) instanceof Number y)
				|| y.doubleValue() == 0) {
			return null;
		}
		return x.doubleValue() / y.doubleValue();
	}

}
