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
 * @author livesession
 */
record PresenceKeys(String instances, String users, String groups, String connections, String sharePrefix,
		String share) {

	static PresenceKeys of(String keyPrefix, String instanceId) {
		String base = keyPrefix + "{presence}:";
		return new PresenceKeys(base + "instances", base + "users", base + "groups", base + "connections",
				base + "instance:", base + "instance:" + instanceId);
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
