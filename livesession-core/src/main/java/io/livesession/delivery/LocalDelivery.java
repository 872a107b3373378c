package io.livesession.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.livesession.BroadcastTarget;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.topic.TopicIndex;
import org.jspecify.annotations.Nullable;

/**
 * Matches a target against this instance's registry and queues the frame for each match.
 * Index lookups for users, groups, ids and topics; a scan for authorities and filters.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LocalDelivery implements DeliveryChannel {

	private final ConnectionRegistry registry;

	private final @Nullable TopicIndex topics;

	public LocalDelivery(ConnectionRegistry registry) {
		this(registry, null);
	}

	/**
	 * Create a delivery that reaches topic members too.
	 * @param registry the instance's registry
	 * @param topics the instance's topics, or {@code null} when a topic target reaches
	 * none
	 * @since 0.1.0
	 */
	public LocalDelivery(ConnectionRegistry registry, @Nullable TopicIndex topics) {
		this.registry = registry;
		this.topics = topics;
	}

	@Override
	public int publish(BroadcastTarget target, Frame frame) {
		return deliver(target, frame);
	}

	/**
	 * Queue a frame for every local connection matching the target.
	 * @param target the target
	 * @param frame the frame
	 * @return the number of connections it was queued for
	 */
	public int deliver(BroadcastTarget target, Frame frame) {
		if (target instanceof BroadcastTarget.All) {
			return sendAll(this.registry.findAll(), frame);
		}
		if (target instanceof BroadcastTarget.Groups groups) {
			int count = 0;
			for (String groupId : groups.groupIds()) {
				count += sendAll(this.registry.findByGroup(groupId), frame);
			}
			return count;
		}
		if (target instanceof BroadcastTarget.Users users) {
			int count = 0;
			for (String userId : users.userIds()) {
				count += sendAll(this.registry.findByUser(userId), frame);
			}
			return count;
		}
		if (target instanceof BroadcastTarget.Connections connections) {
			int count = 0;
			for (String id : connections.connectionIds()) {
				LiveConnection connection = this.registry.find(id);
				count += (connection != null && connection.send(frame)) ? 1 : 0;
			}
			return count;
		}
		if (target instanceof BroadcastTarget.Topic topic) {
			// The index holds the members: O(members), and the recovering ones get the
			// frame after their replay.
			return (this.topics != null) ? this.topics.deliver(topic.name(), frame) : 0;
		}
		if (target instanceof BroadcastTarget.Authority authority) {
			return sendMatching(frame, (c) -> c.getAuthorities().contains(authority.authority()));
		}
		if (target instanceof BroadcastTarget.UserFilter userFilter) {
			int count = 0;
			for (String userId : this.registry.getUserIds()) {
				if (userFilter.filter().test(userId)) {
					count += sendAll(this.registry.findByUser(userId), frame);
				}
			}
			return count;
		}
		BroadcastTarget.Matching matching = (BroadcastTarget.Matching) target;
		return sendMatching(frame, matching.filter());
	}

	/**
	 * Send a frame at once, on this thread and without waiting for anything, to the local
	 * connections of a small target that are idle ({@link ManagedConnection#sendIfIdle}):
	 * for a thread that must not block, such as the one that receives messages from
	 * another instance.
	 * @param target the target
	 * @param frame the frame
	 * @param max the most local connections to send to at once
	 * @return the connections that were busy, to which {@link LiveConnection#send} must
	 * deliver the frame; or {@code null}, having done nothing, when the target is not of
	 * users, groups or connections, or has more than {@code max} local connections
	 * @since 0.1.0
	 */
	public @Nullable List<LiveConnection> deliverIfIdle(BroadcastTarget target, Frame frame, int max) {
		List<LiveConnection> connections = new ArrayList<>();
		if (target instanceof BroadcastTarget.Groups groups) {
			for (String groupId : groups.groupIds()) {
				if (!add(connections, this.registry.findByGroup(groupId), max)) {
					return null;
				}
			}
		}
		else if (target instanceof BroadcastTarget.Users users) {
			for (String userId : users.userIds()) {
				if (!add(connections, this.registry.findByUser(userId), max)) {
					return null;
				}
			}
		}
		else if (target instanceof BroadcastTarget.Connections ids && ids.connectionIds().size() <= max) {
			for (String id : ids.connectionIds()) {
				LiveConnection connection = this.registry.find(id);
				if (connection != null) {
					connections.add(connection);
				}
			}
		}
		else {
			return null;
		}
		List<LiveConnection> busy = new ArrayList<>(0);
		for (LiveConnection connection : connections) {
			if (!(connection instanceof ManagedConnection managed && managed.sendIfIdle(frame))) {
				busy.add(connection);
			}
		}
		return busy;
	}

	private static boolean add(List<LiveConnection> connections, Collection<LiveConnection> more, int max) {
		if (connections.size() + more.size() > max) {
			return false;
		}
		connections.addAll(more);
		return true;
	}

	private int sendMatching(Frame frame, java.util.function.Predicate<LiveConnection> filter) {
		int count = 0;
		for (LiveConnection connection : this.registry.findAll()) {
			if (filter.test(connection) && connection.send(frame)) {
				count++;
			}
		}
		return count;
	}

	private static int sendAll(Collection<LiveConnection> connections, Frame frame) {
		int count = 0;
		for (LiveConnection connection : connections) {
			// send() only queues and reports a closed connection as false; it never
			// throws
			// for one connection's failure, so the others are always reached.
			if (connection.send(frame)) {
				count++;
			}
		}
		return count;
	}

}
