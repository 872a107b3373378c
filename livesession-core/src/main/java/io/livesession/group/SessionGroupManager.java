package io.livesession.group;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.GroupIdPage;
import io.livesession.GroupInitializer;
import io.livesession.GroupState;
import io.livesession.GroupTooLargeException;
import io.livesession.SessionGroup;
import io.livesession.SessionGroups;
import io.livesession.metrics.LiveMetrics;
import io.livesession.protocol.ProtocolFrames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link SessionGroups} service: typed access to a {@link GroupStore}, initial state
 * for new groups, and a {@code state} frame to the group's connections for each committed
 * change, in commit order: published by the store within the commit when it can (Redis),
 * otherwise sent while the group is still locked in this JVM. The update function may run
 * more than once when another instance committed first (see
 * {@link SessionGroups#update(String, Function)}); each run starts from a fresh state.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class SessionGroupManager implements SessionGroups {

	private static final Log logger = LogFactory.getLog(SessionGroupManager.class);

	/** The default largest encoded state of a group: 1 MiB. */
	public static final long DEFAULT_MAX_SIZE = 1024 * 1024;

	private final GroupStore store;

	private final JsonMapper mapper;

	private final Broadcaster broadcaster;

	private final List<GroupInitializer> initializers;

	private final long maxSize;

	private final LiveMetrics metrics;

	private final ProtocolFrames frames;

	public SessionGroupManager(GroupStore store, JsonMapper mapper, Broadcaster broadcaster,
			List<GroupInitializer> initializers) {
		this(store, mapper, broadcaster, initializers, DEFAULT_MAX_SIZE, LiveMetrics.NONE);
	}

	/**
	 * Create a manager whose groups' state is limited in size.
	 * @param store the group store
	 * @param mapper the JSON mapper
	 * @param broadcaster pushes state frames
	 * @param initializers give new groups their state
	 * @param maxSize the largest encoded state of a group, in bytes; an update that would
	 * exceed it fails with {@code too_large} and changes nothing
	 * @param metrics counts the refused updates
	 * @since 0.1.0
	 */
	public SessionGroupManager(GroupStore store, JsonMapper mapper, Broadcaster broadcaster,
			List<GroupInitializer> initializers, long maxSize, LiveMetrics metrics) {
		Assert.isTrue(maxSize > 0, "'maxSize' must be positive");
		this.maxSize = maxSize;
		this.metrics = metrics;
		this.store = store;
		this.mapper = mapper;
		this.frames = new ProtocolFrames(mapper);
		this.broadcaster = broadcaster;
		this.initializers = List.copyOf(initializers);
	}

	@Override
	public SessionGroup get(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		StoredGroup stored = this.store.find(groupId);
		return new JsonSessionGroup((stored != null) ? stored : new StoredGroup(groupId, 0, Map.of(), false),
				this.mapper);
	}

	@Override
	public <T> T update(String groupId, Function<GroupState, T> update) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		Assert.notNull(update, "'update' must not be null");
		return this.store.update(groupId, (current) -> {
			JsonGroupState state = new JsonGroupState(current, this.mapper);
			Map<String, @Nullable JsonNode> initial = Map.of();
			if (!current.exists()) {
				initialize(state);
				initial = new LinkedHashMap<>(state.getChanges());
			}
			T result = update.apply(state);
			checkSize(groupId, state);
			Map<String, @Nullable JsonNode> changes = new LinkedHashMap<>(state.getChanges());
			// The initial state of a new group is version 0: only a change the update
			// itself made raises the version and is pushed.
			boolean changed = !changes.equals(initial);
			// Built for the group about to be committed: a store that publishes it in the
			// commit itself (Redis) orders state frames by commit on every instance.
			Function<StoredGroup, Frame> announcement = changed ? (committed) -> stateFrame(committed, changes) : null;
			return new GroupUpdate<>(state.getChangesAsJson(), changed, result, announcement, (committed) -> {
				if (announcement != null && !this.store.publishesAnnouncements()) {
					this.broadcaster.send(BroadcastTarget.groups(committed.id()), announcement.apply(committed));
				}
				runAfterCommit(state);
			});
		});
	}

	@Override
	public GroupIdPage findIds(String cursor, int count) {
		Assert.notNull(cursor, "'cursor' must not be null");
		Assert.isTrue(count > 0, "'count' must be positive");
		return this.store.ids(cursor, count);
	}

	/**
	 * Open a group for a connection: create it with its initial state when absent, slide
	 * its expiry, and hand a snapshot to the callback while the group is locked, so that
	 * no change can slip between the snapshot and the connection's subsequent state
	 * frames.
	 * @param groupId the group id
	 * @param underLock receives the snapshot
	 */
	public void open(String groupId, Consumer<SessionGroup> underLock) {
		this.store.update(groupId, (current) -> {
			JsonGroupState state = new JsonGroupState(current, this.mapper);
			if (!current.exists()) {
				initialize(state);
			}
			return new GroupUpdate<>(state.getChangesAsJson(), false, null,
					(committed) -> underLock.accept(new JsonSessionGroup(committed, this.mapper)));
		});
	}

	/**
	 * Delete a group; its open connections receive the now empty state at version 0 as a
	 * full state, so their clients start over instead of ignoring the versions to come.
	 */
	@Override
	public void delete(String groupId) {
		this.store.delete(groupId);
		StoredGroup empty = new StoredGroup(groupId, 0, Map.of(), false);
		this.broadcaster.send(BroadcastTarget.groups(groupId), fullStateFrame(empty));
	}

	private Frame fullStateFrame(StoredGroup committed) {
		return this.frames.fullState(new JsonSessionGroup(committed, this.mapper));
	}

	/**
	 * The current full-state frame of a group, read from the store.
	 * @param groupId the group id
	 * @return the frame
	 */
	public Frame currentFullState(String groupId) {
		return this.frames.fullState(get(groupId));
	}

	private static void runAfterCommit(JsonGroupState state) {
		for (Runnable task : state.getAfterCommitTasks()) {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				// Committed already: a failing side effect must not become an error
				// reply.
				logger.error("An after-commit task of group " + state.getId() + " failed", ex);
			}
		}
	}

	/**
	 * Refuse, before anything is committed, a change that would make the state larger
	 * than every {@code hello} and full {@code state} frame may be: past the send buffer,
	 * each such frame would close the group's connections.
	 */
	private void checkSize(String groupId, JsonGroupState state) {
		if (state.getChanges().isEmpty()) {
			return;
		}
		if (state.encodedSize(this.maxSize) <= this.maxSize) {
			return;
		}
		// A change that shrinks a group already over the limit (a limit lowered since)
		// is let through: it must remain possible to make the group smaller.
		long size = state.encodedSize(Long.MAX_VALUE);
		if (size < state.storedSize(size)) {
			return;
		}
		this.metrics.refused(LiveMetrics.LIMIT_GROUP_SIZE);
		throw new GroupTooLargeException(groupId, this.maxSize);
	}

	private void initialize(GroupState state) {
		for (GroupInitializer initializer : this.initializers) {
			initializer.initialize(state);
		}
	}

	private Frame stateFrame(StoredGroup committed, Map<String, @Nullable JsonNode> changes) {
		return this.frames.stateChange(committed.version(), changes, () -> fullStateFrame(committed));
	}

}
