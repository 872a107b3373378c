package io.livesession.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livesession.ConnectionRegistry;
import io.livesession.GroupIdPage;
import io.livesession.LiveConnection;
import io.livesession.Presence;
import io.livesession.SessionGroups;
import io.livesession.revocation.Revocations;
import io.livesession.revocation.UserErasure;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code livesession} Actuator endpoint.
 * <ul>
 * <li>{@code GET /actuator/livesession}: connection, group and user counts of this
 * instance and, when presence spans a cluster, of the cluster</li>
 * <li>{@code GET /actuator/livesession/groups?page=0&size=20}: this instance's groups
 * with their connection counts, by group id, one page at a time</li>
 * <li>{@code GET /actuator/livesession/groups?cursor=0&size=20}: every stored group of
 * the cluster (Redis {@code SCAN}), with this instance's connection count; pass back
 * {@code next} as the cursor until it is {@code null}</li>
 * <li>{@code GET /actuator/livesession/groups/{groupId}} and {@code GET
 * /actuator/livesession/users/{userId}}: the connections of one group or user</li>
 * <li>{@code POST /actuator/livesession/users/{userId}} and {@code POST
 * /actuator/livesession/connections/{connectionId}}: disconnect every connection of the
 * user, or the one connection, on every instance through {@link Revocations}, as the
 * application's own revocations do: closed with 1008 {@code revoked}, a
 * {@code LiveConnectionRevokedEvent} and its audit entry where each was open</li>
 * <li>{@code DELETE /actuator/livesession/users/{userId}}: erase the user with
 * {@link UserErasure}: every connection of the user closed on every instance, the user's
 * groups deleted from the store</li>
 * </ul>
 * Read-only by default: the write and delete operations exist only with an explicit
 * opt-in, {@code management.endpoint.livesession.access=unrestricted}, and should then be
 * restricted to administrators, as the samples do (docs/security.md).
 *
 * @author livesession
 * @since 0.1.0
 */
@Endpoint(id = "livesession", defaultAccess = Access.READ_ONLY)
public class LiveSessionEndpoint {

	static final int DEFAULT_PAGE_SIZE = 20;

	static final int MAX_PAGE_SIZE = 500;

	private final ConnectionRegistry registry;

	private final Presence presence;

	private final @Nullable Revocations revocations;

	private final @Nullable UserErasure erasure;

	private final @Nullable SessionGroups groups;

	/**
	 * Create the endpoint.
	 * @param registry this instance's connections
	 * @param presence the presence counts
	 * @param revocations disconnects users and connections, if available
	 * @param erasure erases users, if available
	 * @param groups pages through the stored groups, if available
	 * @since 0.1.0
	 */
	public LiveSessionEndpoint(ConnectionRegistry registry, Presence presence, @Nullable Revocations revocations,
			@Nullable UserErasure erasure, @Nullable SessionGroups groups) {
		this.registry = registry;
		this.presence = presence;
		this.revocations = revocations;
		this.erasure = erasure;
		this.groups = groups;
	}

	@ReadOperation
	public Map<String, Object> counts() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("connections", this.registry.getConnectionCount());
		result.put("groups", this.registry.getGroupCount());
		result.put("users", this.registry.getUserCount());
		if (this.presence.isClusterWide()) {
			Map<String, Object> cluster = new LinkedHashMap<>();
			cluster.put("connections", this.presence.getConnectionCount());
			cluster.put("groups", this.presence.getGroupCount());
			cluster.put("users", this.presence.getUserCount());
			result.put("cluster", cluster);
		}
		return result;
	}

	/**
	 * One page of this instance's groups, ordered by id.
	 * @param collection must be {@code groups}
	 * @param page the page, from 0
	 * @param size the page size, at most {@value #MAX_PAGE_SIZE}
	 * @param cursor when given, page through every stored group of the cluster instead:
	 * {@code 0} first, then the previous answer's {@code next}
	 * @return the page
	 */
	@ReadOperation
	public Map<String, Object> groups(@Selector String collection, @Nullable Integer page, @Nullable Integer size,
			@Nullable String cursor) {
		if (!collection.equals("groups")) {
			throw new InvalidEndpointRequestException("Unknown collection '" + collection + "'; use 'groups'",
					"Unknown collection");
		}
		int pageNumber = (page != null) ? page : 0;
		int pageSize = (size != null) ? size : DEFAULT_PAGE_SIZE;
		if (pageNumber < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new InvalidEndpointRequestException(
					"'page' must be 0 or more and 'size' between 1 and " + MAX_PAGE_SIZE, "Invalid page");
		}
		if (cursor != null) {
			return storedGroups(cursor, pageSize);
		}
		List<String> ids = new ArrayList<>(this.registry.getGroupIds());
		ids.sort(null);
		long from = Math.min((long) pageNumber * pageSize, ids.size());
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("page", pageNumber);
		result.put("size", pageSize);
		result.put("total", ids.size());
		result.put("groups", groupEntries(ids.subList((int) from, (int) Math.min(from + pageSize, ids.size()))));
		return result;
	}

	private Map<String, Object> storedGroups(String cursor, int size) {
		SessionGroups groups = this.groups;
		if (groups == null) {
			throw new InvalidEndpointRequestException("No SessionGroups bean", "Listing is not available");
		}
		GroupIdPage page;
		try {
			page = groups.findIds(cursor, size);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), "Invalid cursor");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("cursor", cursor);
		result.put("next", page.nextCursor());
		result.put("groups", groupEntries(page.ids()));
		return result;
	}

	/**
	 * One entry per group: its id and its connections on this instance.
	 */
	private List<Map<String, Object>> groupEntries(List<String> ids) {
		List<Map<String, Object>> entries = new ArrayList<>();
		for (String id : ids) {
			Map<String, Object> group = new LinkedHashMap<>();
			group.put("id", id);
			group.put("connections", this.registry.findByGroup(id).size());
			entries.add(group);
		}
		return entries;
	}

	/**
	 * The connections of one group or user on this instance.
	 * @param collection {@code groups} or {@code users}
	 * @param id the group or user id
	 * @return the connections
	 */
	@ReadOperation
	public Map<String, Object> connections(@Selector String collection, @Selector String id) {
		Collection<LiveConnection> connections = switch (collection) {
			case "groups" -> this.registry.findByGroup(id);
			case "users" -> this.registry.findByUser(id);
			default -> throw new InvalidEndpointRequestException(
					"Unknown collection '" + collection + "'; use 'groups' or 'users'", "Unknown collection");
		};
		List<Map<String, Object>> list = new ArrayList<>();
		for (LiveConnection connection : List.copyOf(connections)) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("id", connection.getId());
			entry.put("groupId", connection.getGroupId());
			entry.put("userId", connection.getUserId());
			entry.put("openedAt", connection.getOpenedAt().toString());
			list.add(entry);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("id", id);
		result.put("connections", list);
		return result;
	}

	/**
	 * Disconnect every connection of a user, or one connection, on every instance: a
	 * revocation with the reason {@code APPLICATION}.
	 * @param collection {@code users} or {@code connections}
	 * @param id the user or connection id
	 * @return how many of the connections were open on this instance (the others are
	 * closed by their own instances, which do not answer here)
	 */
	@WriteOperation
	public Map<String, Object> disconnect(@Selector String collection, @Selector String id) {
		Revocations revocations = this.revocations;
		if (revocations == null) {
			throw new InvalidEndpointRequestException("No Revocations bean", "Disconnecting is not available");
		}
		// Counted before revoking: a revoked connection is no longer open.
		int open = switch (collection) {
			case "users" -> {
				int count = (int) List.copyOf(this.registry.findByUser(id))
					.stream()
					.filter(LiveConnection::isOpen)
					.count();
				revocations.revokeUser(id);
				yield count;
			}
			case "connections" -> {
				LiveConnection connection = this.registry.find(id);
				int count = (connection != null && connection.isOpen()) ? 1 : 0;
				revocations.revokeConnection(id);
				yield count;
			}
			default -> throw new InvalidEndpointRequestException(
					"Unknown collection '" + collection + "'; use 'users' or 'connections'", "Unknown collection");
		};
		return Map.of("disconnected", open);
	}

	/**
	 * Erase a user: {@code DELETE /actuator/livesession/users/{userId}}.
	 * @param collection {@code users}
	 * @param id the user id
	 * @return the groups that were deleted
	 */
	@DeleteOperation
	public Map<String, Object> erase(@Selector String collection, @Selector String id) {
		if (!"users".equals(collection)) {
			throw new InvalidEndpointRequestException("Only users can be erased; use 'users'", "Unknown collection");
		}
		UserErasure erasure = this.erasure;
		if (erasure == null) {
			throw new InvalidEndpointRequestException("No UserErasure bean", "Erasure is not available");
		}
		return Map.of("erased", id, "groups", List.copyOf(erasure.erase(id)));
	}

}
