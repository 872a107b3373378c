package io.livesession.registry;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A concurrent index from a key to the set of values filed under it, for the registries
 * that look connections up by group, user, browser or HTTP session. Updates of one key go
 * through {@code compute}, so a key's set is created and dropped atomically, and a key
 * whose last value is removed disappears; readers never lock.
 *
 * @param <V> the values
 * @author livesession
 * @since 0.1.0
 */
public final class SetIndex<V> {

	private final Map<String, Set<V>> sets = new ConcurrentHashMap<>();

	/**
	 * File a value under a key.
	 * @param key the key
	 * @param value the value
	 */
	public void add(String key, V value) {
		this.sets.compute(key, (k, set) -> {
			Set<V> result = (set != null) ? set : ConcurrentHashMap.newKeySet();
			result.add(value);
			return result;
		});
	}

	/**
	 * Remove a value from a key, and the key with its last value.
	 * @param key the key
	 * @param value the value
	 */
	public void remove(String key, V value) {
		this.sets.computeIfPresent(key, (k, set) -> {
			set.remove(value);
			return set.isEmpty() ? null : set;
		});
	}

	/**
	 * The live set of a key.
	 * @param key the key
	 * @return the set, or {@code null} when no value is filed under the key
	 */
	public @Nullable Set<V> get(String key) {
		return this.sets.get(key);
	}

	/**
	 * The keys that have values.
	 * @return a read-only view
	 */
	public Set<String> keys() {
		return Collections.unmodifiableSet(this.sets.keySet());
	}

	/**
	 * How many keys have values.
	 * @return the count
	 */
	public int size() {
		return this.sets.size();
	}

}
