package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.livesession.GroupIdPage;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupUpdate;
import io.livesession.group.StoredGroup;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Adds cluster-wide {@link #ids paging} to a Redis group store: {@code SCAN} with
 * {@code MATCH <keyPattern>*} over the group keys, never {@code KEYS}, so Redis never
 * blocks on a large keyspace. Everything else is delegated unchanged. Kept apart from the
 * store itself so the commit path stays as it is.
 *
 * @author livesession
 * @since 0.1.0
 */
final class ScanningGroupStore implements GroupStore {

	/** SCAN through a script: see {@code group-scan.lua}. */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> SCAN = LuaScripts.load("group-scan.lua", List.class);

	/** SCAN calls one page may make before it returns what it has, to stay short. */
	private static final int MAX_CALLS = 16;

	private final GroupStore delegate;

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final String keySuffix;

	private final String pattern;

	/**
	 * Create a store that pages through the keys
	 * {@code <groupKeyPrefix><groupId><groupKeySuffix>}.
	 * @param delegate the store
	 * @param redis the template
	 * @param groupKeyPrefix the part of every group key before the group id
	 * @param groupKeySuffix the part of every group key after the group id (the end of a
	 * hash tag)
	 */
	ScanningGroupStore(GroupStore delegate, StringRedisTemplate redis, String groupKeyPrefix, String groupKeySuffix) {
		this.delegate = delegate;
		this.redis = redis;
		this.keyPrefix = groupKeyPrefix;
		this.keySuffix = groupKeySuffix;
		this.pattern = escapeGlob(groupKeyPrefix) + "*" + escapeGlob(groupKeySuffix);
	}

	@Override
	public GroupIdPage ids(String cursor, int count) {
		if (!cursor.chars().allMatch(Character::isDigit) || cursor.isEmpty()) {
			throw new IllegalArgumentException("Not a cursor of this store: '" + cursor + "'");
		}
		Set<String> ids = new LinkedHashSet<>();
		String next = cursor;
		int calls = 0;
		try {
			do {
				List<?> reply = this.redis.execute(SCAN, List.of(), next, this.pattern, String.valueOf(count));
				next = text(reply.get(0));
				for (Object key : (List<?>) reply.get(1)) {
					String name = text(key);
					ids.add(name.substring(this.keyPrefix.length(), name.length() - this.keySuffix.length()));
				}
				calls++;
			}
			while (!next.equals(GroupIdPage.FIRST) && ids.size() < count && calls < MAX_CALLS);
		}
		catch (DataAccessException ex) {
			throw new SessionGroupUnavailableException("The session group store cannot be reached", ex);
		}
		return new GroupIdPage(new ArrayList<>(ids), next.equals(GroupIdPage.FIRST) ? null : next);
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
	}

	/** Makes a key prefix match itself only in a {@code MATCH} pattern. */
	static String escapeGlob(String literal) {
		StringBuilder escaped = new StringBuilder(literal.length());
		for (char c : literal.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	@Override
	public <T> T update(String groupId, Function<StoredGroup, GroupUpdate<T>> step) {
		return this.delegate.update(groupId, step);
	}

	@Override
	public @Nullable StoredGroup find(String groupId) {
		return this.delegate.find(groupId);
	}

	@Override
	public void touch(Collection<String> groupIds) {
		this.delegate.touch(groupIds);
	}

	@Override
	public boolean publishesAnnouncements() {
		return this.delegate.publishesAnnouncements();
	}

	@Override
	public void delete(String groupId) {
		this.delegate.delete(groupId);
	}

	@Override
	public int removeExpired() {
		return this.delegate.removeExpired();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
