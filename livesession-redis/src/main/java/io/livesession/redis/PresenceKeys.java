package io.livesession.redis;

import java.util.List;

/**
 * The Redis keys of presence, all under {@code <prefix>{presence}:} (one hash slot, which
 * Redis Cluster requires of the keys one script uses).
 *
 * @param instances sorted set of instance id to lease expiry
 * @param users hash of user id to connection count, cluster-wide
 * @param groups hash of group id to connection count, cluster-wide
 * @param connections the cluster-wide connection counter
 * @param sharePrefix the prefix of each instance's share, followed by its id
 * @param share this instance's share, followed by {@code :users}, {@code :groups} or
 * {@code :connections}
 * @param layout {@code ""} for users and groups, {@code "topics"} for the members of
 * topics (see {@link #topics})
 * @author livesession
 */
record PresenceKeys(String instances, String users, String groups, String connections, String sharePrefix, String share,
		String layout) {

	static PresenceKeys of(String keyPrefix, String instanceId) {
		String base = keyPrefix + "{presence}:";
		return new PresenceKeys(base + "instances", base + "users", base + "groups", base + "connections",
				base + "instance:", base + "instance:" + instanceId, "");
	}

	/**
	 * The keys of the presence of topics, under {@code <prefix>{presence}:topics:}, with
	 * leases of their own: the share's users are {@code <topic> <userId>} pairs whose
	 * totals are one hash per topic, {@code users:<topic>} (user id to connection count),
	 * and its groups are topics, totalled in {@code members} (topic to connection count).
	 * @param keyPrefix the prefix of every key
	 * @param instanceId this instance's id
	 * @return the keys
	 */
	static PresenceKeys topics(String keyPrefix, String instanceId) {
		String base = keyPrefix + "{presence}:topics:";
		return new PresenceKeys(base + "instances", base + "users:", base + "members", base + "memberships",
				base + "instance:", base + "instance:" + instanceId, "topics");
	}

	/** The keys of {@code presence-sync.lua}. */
	List<String> syncKeys() {
		return List.of(this.instances, this.users, this.groups, this.connections, this.share + ":users",
				this.share + ":groups", this.share + ":connections");
	}

	/** The keys of {@code presence-remove.lua}. */
	List<String> removeKeys() {
		return List.of(this.instances, this.users, this.groups, this.connections);
	}

}
