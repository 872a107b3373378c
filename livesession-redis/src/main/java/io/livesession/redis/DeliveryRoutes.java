package io.livesession.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.livesession.BroadcastTarget;
import io.livesession.LiveConnection;

/**
 * Which pub/sub channel a broadcast is published to. With interest-based routing a
 * broadcast to users or groups goes to one channel per recipient,
 * {@code <channel>:u:{<userId>}} or {@code <channel>:g:{<groupId>}}, which only the
 * instances that host that user or group subscribe to; everything else (all, an
 * authority, connections, a user filter, and targets with more than {@link #FAN_OUT}
 * recipients) goes to the shared channel that every instance subscribes to. The hash tag
 * of a group's channel is the one of the group's keys, so a Redis Cluster keeps the
 * group's state, its commit and its channel on one slot. A broadcast to a topic goes to
 * the topic's channel, {@code <channel>:t:{<topic>}}, once, whatever the number of
 * members: only the instances hosting a member subscribe to it, and its hash tag is the
 * one of the topic's history keys, so that the history's script can publish to it.
 *
 * @author livesession
 */
final class DeliveryRoutes {

	/**
	 * Most recipients of a broadcast published one channel each: beyond that one message
	 * on the shared channel, matched by every instance, costs Redis less than that many
	 * publishes, whatever the number of instances.
	 */
	static final int FAN_OUT = 16;

	private final String shared;

	private final boolean interest;

	/**
	 * Routes of a shared channel.
	 * @param shared the channel every instance subscribes to
	 * @param interest whether broadcasts to users and groups go to channels of their own
	 */
	DeliveryRoutes(String shared, boolean interest) {
		this.shared = shared;
		this.interest = interest;
	}

	String shared() {
		return this.shared;
	}

	boolean interest() {
		return this.interest;
	}

	String user(String userId) {
		return this.shared + ":u:{" + userId + "}";
	}

	String group(String groupId) {
		return this.shared + ":g:{" + groupId + "}";
	}

	/**
	 * The channel of one topic's publications.
	 * @param topic the topic
	 * @return the topic's own channel with interest-based routing, the shared one
	 * otherwise
	 */
	String topic(String topic) {
		return this.interest ? this.shared + ":t:{" + topic + "}" : this.shared;
	}

	/**
	 * The channel of one group's state frames, published by its commit.
	 * @param groupId the group
	 * @return the channel
	 */
	String stateChannel(String groupId) {
		return this.interest ? group(groupId) : this.shared;
	}

	/**
	 * The channels whose messages a connection needs: its user's and its group's.
	 * @param connection the connection
	 * @return the channels, empty without interest-based routing
	 */
	List<String> of(LiveConnection connection) {
		if (!this.interest) {
			return List.of();
		}
		String userId = connection.getUserId();
		return (userId != null) ? List.of(user(userId), group(connection.getGroupId()))
				: List.of(group(connection.getGroupId()));
	}

	/**
	 * Where a data target is published: one route per channel, each with the part of the
	 * target that channel's subscribers host, so that an instance hosting two recipients
	 * of one broadcast still delivers it once to each.
	 * @param target a data target
	 * @return the routes
	 */
	List<Route> routes(BroadcastTarget target) {
		if (this.interest && target instanceof BroadcastTarget.Users users && fansOut(users.userIds())) {
			List<Route> routes = new ArrayList<>(users.userIds().size());
			users.userIds().forEach((id) -> routes.add(new Route(user(id), BroadcastTarget.users(id))));
			return routes;
		}
		if (this.interest && target instanceof BroadcastTarget.Groups groups && fansOut(groups.groupIds())) {
			List<Route> routes = new ArrayList<>(groups.groupIds().size());
			groups.groupIds().forEach((id) -> routes.add(new Route(group(id), BroadcastTarget.groups(id))));
			return routes;
		}
		if (target instanceof BroadcastTarget.Topic topic) {
			return List.of(new Route(topic(topic.name()), target));
		}
		return List.of(new Route(this.shared, target));
	}

	private static boolean fansOut(Set<String> ids) {
		return !ids.isEmpty() && ids.size() <= FAN_OUT;
	}

	/**
	 * One publish.
	 *
	 * @param channel the channel
	 * @param target the target the message carries
	 */
	record Route(String channel, BroadcastTarget target) {

	}

}
