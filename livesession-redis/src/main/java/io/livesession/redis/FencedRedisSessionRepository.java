package io.livesession.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.livesession.Frame;
import io.livesession.GroupIdPage;
import io.livesession.group.FencedSessionRepository;
import io.livesession.group.GroupVersionConflictException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.session.MapSession;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link FencedSessionRepository} on Redis that keeps groups in the hash layout of
 * Spring Session's {@code RedisSessionRepository} ({@code creationTime},
 * {@code lastAccessedTime}, {@code maxInactiveInterval}, {@code sessionAttr:<name>},
 * values as plain JSON), so the data reads the same with Spring Session's own tools, but
 * whose save is one Lua script ({@code group-commit.lua}) that writes the changed fields
 * only if the group's version is still the one it was read at, slides the expiry and
 * publishes the change, all in one round trip. Spring Session's repository cannot be used
 * here: its save writes the delta unconditionally.
 *
 * <p>
 * A group's key is {@code <prefix>groups:sessions:{<groupId>}}: the braces are a Redis
 * Cluster hash tag, so the group's other key, {@code <prefix>groups:turn:{<groupId>}},
 * shares its slot and the commit stays single-slot.
 *
 * <p>
 * Each instance keeps the hash of its last commit to a group (for the most recently
 * committed {@value #CACHED_GROUPS} groups) and runs the next step on it
 * ({@link #findForUpdate}): when it is the group's only writer, as with every tab of a
 * browser on one instance, an action is one round trip (the commit) instead of two. A
 * copy made stale by another instance's commit costs one conflict, whose answer carries
 * the stored group, so the re-run needs no read either.
 *
 * <p>
 * Fairness: without a lock an instance that keeps losing races could starve, because the
 * winner is always one round trip ahead. An instance that loses takes the group's
 * <em>turn</em> for {@link #TURN}: until it commits or the turn expires, other instances'
 * commits are refused and wait for it. Correctness never depends on the turn, only on the
 * version check. Private to the group store, never a bean.
 *
 * @author livesession
 */
final class FencedRedisSessionRepository implements FencedSessionRepository<GroupSession> {

	static final String CREATION_TIME = "creationTime";

	static final String LAST_ACCESSED_TIME = "lastAccessedTime";

	static final String MAX_INACTIVE_INTERVAL = "maxInactiveInterval";

	static final String ATTRIBUTE_PREFIX = "sessionAttr:";

	/** The store's version attribute, as a hash field. */
	static final String VERSION_FIELD = ATTRIBUTE_PREFIX + "livesession:version";

	static final long MUST_BE_ABSENT = -1;

	private static final long MUST_EXIST = -2;

	/** How many groups' last commits are kept, for {@link #findForUpdate}. */
	static final int CACHED_GROUPS = 1024;

	/** Groups larger than this (bytes of JSON, about) are read again rather than kept. */
	static final int CACHED_GROUP_SIZE = 16 * 1024;

	/**
	 * How long an instance that lost a race has the group's next commit to itself. Short:
	 * it only has to outlast one round trip, and a holder that stalls (a long pause)
	 * holds the others up for no longer than this.
	 */
	static final Duration TURN = Duration.ofMillis(50);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> COMMIT = LuaScripts.load("group-commit.lua", List.class);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration defaultTimeout;

	private final @Nullable Function<String, String> channels;

	private final @Nullable BiFunction<String, Frame, String> messages;

	private final String instanceId;

	private final boolean sharded;

	private final @Nullable CommitListener listener;

	private final JsonMapper json = JsonMapper.builder().build();

	private final GroupKeyScan scan;

	/**
	 * The stored hash of the groups this instance committed last, so that its next step
	 * on the group needs no read: one round trip per uncontended action instead of two.
	 * Guarded by itself; bounded, least recently used first out.
	 */
	private final Map<String, Map<String, String>> committed = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
			return size() > CACHED_GROUPS;
		}

	};

	/**
	 * Create a repository.
	 * @param redis the template, on livesession's bounded connection factory
	 * @param keyPrefix the prefix of every group key, e.g. {@code livesession:groups}
	 * @param defaultTimeout the sliding time to live of a new group
	 * @param channels the channel a group's announcements are published on, by group id;
	 * {@code null} for none
	 * @param messages encodes the announcement of a group as a message of that channel
	 * @param instanceId this instance's id, for the group's turn
	 */
	FencedRedisSessionRepository(StringRedisTemplate redis, String keyPrefix, Duration defaultTimeout,
			@Nullable Function<String, String> channels, @Nullable BiFunction<String, Frame, String> messages,
			String instanceId) {
		this(redis, keyPrefix, defaultTimeout, channels, messages, instanceId, false, null);
	}

	/**
	 * Create a repository.
	 * @param redis the template, on livesession's bounded connection factory
	 * @param keyPrefix the prefix of every group key, e.g. {@code livesession:groups}
	 * @param defaultTimeout the sliding time to live of a new group
	 * @param channels the channel a group's announcements are published on, by group id;
	 * {@code null} for none
	 * @param messages encodes the announcement of a group as a message of that channel
	 * @param instanceId this instance's id, for the group's turn
	 * @param sharded whether the channels are sharded ({@code SPUBLISH}), which the
	 * script may publish to only because a group's channel is in the group's slot
	 * @param listener hears of each commit that published its announcement, on the
	 * committing thread; {@code null} for none
	 */
	FencedRedisSessionRepository(StringRedisTemplate redis, String keyPrefix, Duration defaultTimeout,
			@Nullable Function<String, String> channels, @Nullable BiFunction<String, Frame, String> messages,
			String instanceId, boolean sharded, @Nullable CommitListener listener) {
		this.listener = listener;
		this.sharded = sharded;
		this.redis = redis;
		this.keyPrefix = keyPrefix + ":";
		this.instanceId = instanceId;
		this.defaultTimeout = defaultTimeout;
		this.channels = channels;
		this.messages = messages;
		this.scan = new GroupKeyScan(redis, this.keyPrefix + "sessions:{", "}");
	}

	String key(String groupId) {
		return this.keyPrefix + "sessions:{" + groupId + "}";
	}

	@Override
	public GroupIdPage ids(String cursor, int count) {
		return this.scan.ids(cursor, count);
	}

	String turnKey(String groupId) {
		return this.keyPrefix + "turn:{" + groupId + "}";
	}

	@Override
	public GroupSession createSession() {
		return create(new MapSession().getId());
	}

	/**
	 * A new, unsaved session with the group's id.
	 * @param groupId the group id
	 * @return the session
	 */
	GroupSession create(String groupId) {
		MapSession session = new MapSession(groupId);
		session.setMaxInactiveInterval(this.defaultTimeout);
		return new GroupSession(session, MUST_BE_ABSENT, Map.of(), false);
	}

	@Override
	public @Nullable GroupSession findById(String id) {
		Map<String, String> entries = this.redis.<String, String>opsForHash().entries(key(id));
		return toSession(id, entries, false);
	}

	@Override
	public @Nullable GroupSession findForUpdate(String id) {
		Map<String, String> entries;
		synchronized (this.committed) {
			entries = this.committed.get(id);
		}
		return (entries != null) ? toSession(id, entries, true) : findById(id);
	}

	private void remember(String id, @Nullable Map<String, String> entries) {
		synchronized (this.committed) {
			if (entries == null || entries.isEmpty() || size(entries) > CACHED_GROUP_SIZE) {
				this.committed.remove(id);
			}
			else {
				this.committed.put(id, Map.copyOf(entries));
			}
		}
	}

	private static int size(Map<String, String> entries) {
		int size = 0;
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			size += entry.getKey().length() + entry.getValue().length();
		}
		return size;
	}

	private @Nullable GroupSession toSession(String id, Map<String, String> entries, boolean kept) {
		if (entries.isEmpty()) {
			return null;
		}
		MapSession session = new MapSession(id);
		long version = 0;
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			String field = entry.getKey();
			Object value = this.json.readValue(entry.getValue(), Object.class);
			if (field.equals(CREATION_TIME)) {
				session.setCreationTime(Instant.ofEpochMilli(((Number) value).longValue()));
			}
			else if (field.equals(LAST_ACCESSED_TIME)) {
				session.setLastAccessedTime(Instant.ofEpochMilli(((Number) value).longValue()));
			}
			else if (field.equals(MAX_INACTIVE_INTERVAL)) {
				session.setMaxInactiveInterval(Duration.ofSeconds(((Number) value).longValue()));
			}
			else if (field.startsWith(ATTRIBUTE_PREFIX)) {
				session.setAttribute(field.substring(ATTRIBUTE_PREFIX.length()), value);
				if (field.equals(VERSION_FIELD)) {
					version = ((Number) value).longValue();
				}
			}
		}
		return new GroupSession(session, version, entries, kept);
	}

	@Override
	public void save(GroupSession session) {
		commit(session, null);
	}

	@Override
	public void save(GroupSession session, Frame announcement) {
		commit(session, announcement);
	}

	@Override
	public boolean publishesAnnouncements() {
		return this.channels != null && this.messages != null;
	}

	private void commit(GroupSession session, @Nullable Frame announcement) {
		List<String> sets = new ArrayList<>();
		List<String> deletes = new ArrayList<>();
		if (session.isNew()) {
			put(sets, CREATION_TIME, session.getCreationTime().toEpochMilli());
			put(sets, MAX_INACTIVE_INTERVAL, session.getMaxInactiveInterval().toSeconds());
		}
		put(sets, LAST_ACCESSED_TIME, session.getLastAccessedTime().toEpochMilli());
		session.delta().forEach((name, value) -> {
			if (value != null) {
				put(sets, ATTRIBUTE_PREFIX + name, value);
			}
			else {
				deletes.add(ATTRIBUTE_PREFIX + name);
			}
		});
		// Unchanged attributes read fresh need no fence: only the expiry slides, and only
		// if the group still exists. Read from the kept copy, the step's result must be
		// fenced too.
		long expected = session.isNew() ? MUST_BE_ABSENT
				: (session.delta().isEmpty() && !session.isKept()) ? MUST_EXIST : session.readVersion();
		boolean publish = announcement != null && publishesAnnouncements();
		List<String> args = new ArrayList<>(9 + sets.size() + deletes.size());
		args.add(Long.toString(expected));
		args.add(VERSION_FIELD);
		args.add(Long.toString(Math.max(1, session.getMaxInactiveInterval().toMillis())));
		args.add(publish ? this.channels.apply(session.getId()) : "");
		args.add(publish ? this.messages.apply(session.getId(), announcement) : "");
		args.add(this.instanceId);
		args.add(Long.toString(TURN.toMillis()));
		args.add(this.sharded ? "s" : "");
		args.add(Integer.toString(sets.size() / 2));
		args.addAll(sets);
		args.addAll(deletes);
		String groupId = session.getId();
		List<?> result;
		try {
			result = this.redis.execute(COMMIT, List.of(key(groupId), turnKey(groupId)), args.toArray());
		}
		catch (RuntimeException ex) {
			// Committed or not, nobody knows: read it next time.
			remember(groupId, null);
			throw ex;
		}
		String outcome = (result != null && !result.isEmpty()) ? String.valueOf(result.get(0)) : "";
		if (outcome.equals("ok")) {
			Map<String, String> entries = new HashMap<>(session.entries());
			for (int i = 0; i + 1 < sets.size(); i += 2) {
				entries.put(sets.get(i), sets.get(i + 1));
			}
			deletes.forEach(entries::remove);
			// One immutable copy serves as the kept copy and as the session's entries.
			Map<String, String> stored = Map.copyOf(entries);
			remember(groupId, stored);
			long readVersion = session.readVersion();
			session.committed(stored);
			if (publish && this.listener != null) {
				try {
					this.listener.committed(groupId, readVersion, announcement);
				}
				catch (RuntimeException ex) {
					// Committed all the same: the subscription still brings the frame.
				}
			}
			return;
		}
		if (outcome.equals("w")) {
			// Another instance lost a race and goes next: let it, then start from what it
			// committed.
			long millis = Math.min(TURN.toMillis(), Math.max(1, Long.parseLong(String.valueOf(result.get(1)))));
			remember(groupId, null);
			sleep(millis);
			throw new GroupVersionConflictException(groupId, findById(groupId));
		}
		Map<String, String> stored = new HashMap<>();
		for (int i = 1; i + 1 < result.size(); i += 2) {
			stored.put(String.valueOf(result.get(i)), String.valueOf(result.get(i + 1)));
		}
		remember(groupId, stored);
		throw new GroupVersionConflictException(groupId, toSession(groupId, stored, false));
	}

	/**
	 * Hears of each commit that published its announcement.
	 */
	@FunctionalInterface
	interface CommitListener {

		/**
		 * Called on the committing thread once the commit succeeded.
		 * @param groupId the group
		 * @param readVersion the version the commit was fenced on
		 * @param announcement the published frame
		 */
		void committed(String groupId, long readVersion, Frame announcement);

	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the group's turn", ex);
		}
	}

	private void put(List<String> args, String field, Object value) {
		args.add(field);
		args.add(this.json.writeValueAsString(value));
	}

	@Override
	public void deleteById(String id) {
		remember(id, null);
		this.redis.delete(key(id));
	}

}
