package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livesession.GroupIdPage;
import io.livesession.SessionGroupUnavailableException;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Cluster-wide {@link #ids paging} through the group keys of a
 * {@link FencedRedisSessionRepository}: {@code SCAN} with {@code MATCH <keyPattern>*},
 * never {@code KEYS}, so Redis never blocks on a large keyspace. Kept apart from the
 * repository so its commit path stays as it is.
 *
 * @param redis the template
 * @param keyPrefix the part of every group key before the group id
 * @param keySuffix the part of every group key after the group id (the end of a hash tag)
 * @author livesession
 */
record GroupKeyScan(StringRedisTemplate redis, String keyPrefix, String keySuffix) {

	/** SCAN through a script: see {@code group-scan.lua}. */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> SCAN = LuaScripts.load("group-scan.lua", List.class);

	/** A cursor: SCAN's own, or, on a cluster, a master's index and its SCAN cursor. */
	private static final Pattern CURSOR = Pattern.compile("(\\d+)(?:-(\\d+))?");

	/** SCAN calls one page may make before it returns what it has, to stay short. */
	private static final int MAX_CALLS = 16;

	/**
	 * One page of group ids, in no particular order.
	 * @param cursor {@link GroupIdPage#FIRST} or a cursor this scan issued
	 * @param count about how many ids to return
	 * @return the page
	 */
	GroupIdPage ids(String cursor, int count) {
		Matcher parsed = CURSOR.matcher(cursor);
		if (!parsed.matches()) {
			throw new IllegalArgumentException("Not a cursor of this store: '" + cursor + "'");
		}
		try {
			List<String> routes = masterRoutes();
			if (routes.isEmpty()) {
				if (parsed.group(2) != null) {
					throw new IllegalArgumentException("Not a cursor of this store: '" + cursor + "'");
				}
				Page page = scan(List.of(), cursor, count);
				return new GroupIdPage(page.ids(), page.done() ? null : page.next());
			}
			// A cluster: each master's keyspace in turn, the cursor naming the master
			// ("<master>-<its cursor>").
			int master = (parsed.group(2) != null) ? Integer.parseInt(parsed.group(1)) : 0;
			String next = (parsed.group(2) != null) ? parsed.group(2) : cursor;
			if (master >= routes.size()) {
				return new GroupIdPage(List.of(), null);
			}
			Page page = scan(List.of(routes.get(master)), next, count);
			if (!page.done()) {
				return new GroupIdPage(page.ids(), master + "-" + page.next());
			}
			return new GroupIdPage(page.ids(), (master + 1 < routes.size()) ? (master + 1) + "-0" : null);
		}
		catch (DataAccessException ex) {
			throw new SessionGroupUnavailableException("The session group store cannot be reached", ex);
		}
	}

	/**
	 * One key per master of a Redis Cluster, in the order of the masters' first slots,
	 * each hashing to a slot of its master: the script's key routes the SCAN to that
	 * master (a script runs on the node of its keys). Empty when not a cluster.
	 */
	private List<String> masterRoutes() {
		List<RedisClusterNode> masters = this.redis.execute((RedisCallback<List<RedisClusterNode>>) (connection) -> {
			if (!(connection instanceof RedisClusterConnection cluster)) {
				return List.of();
			}
			List<RedisClusterNode> nodes = new ArrayList<>();
			cluster.clusterGetNodes().forEach((node) -> {
				if (node.isMaster() && !node.getSlotRange().getSlots().isEmpty()) {
					nodes.add(node);
				}
			});
			nodes.sort(Comparator.comparingInt((node) -> node.getSlotRange().getSlots().iterator().next()));
			return nodes;
		});
		List<String> routes = new ArrayList<>();
		for (RedisClusterNode master : (masters != null) ? masters : List.<RedisClusterNode>of()) {
			for (int tag = 0;; tag++) {
				String key = this.keyPrefix + "scan:{" + tag + "}";
				if (master.servesSlot(ClusterSlotHashUtil.calculateSlot(key))) {
					routes.add(key);
					break;
				}
			}
		}
		return routes;
	}

	private Page scan(List<String> route, String cursor, int count) {
		String pattern = escapeGlob(this.keyPrefix) + "*" + escapeGlob(this.keySuffix);
		Set<String> ids = new LinkedHashSet<>();
		String next = cursor;
		int calls = 0;
		do {
			List<?> reply = this.redis.execute(SCAN, route, next, pattern, String.valueOf(count));
			next = text(reply.get(0));
			for (Object key : (List<?>) reply.get(1)) {
				String name = text(key);
				ids.add(name.substring(this.keyPrefix.length(), name.length() - this.keySuffix.length()));
			}
			calls++;
		}
		while (!next.equals(GroupIdPage.FIRST) && ids.size() < count && calls < MAX_CALLS);
		return new Page(new ArrayList<>(ids), next, next.equals(GroupIdPage.FIRST));
	}

	private record Page(List<String> ids, String next, boolean done) {
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

}
