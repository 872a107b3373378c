package io.livesession.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.livesession.BroadcastTarget;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.registry.SetIndex;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link TopicIndex} on a {@link SetIndex} from topic to members; each connection keeps
 * its own topics, and its joins, leaves and close run one at a time under that set's
 * monitor, listeners included, so a listener is told of one connection's changes in
 * order. Delivery never locks, except for a member that recovers the topic.
 *
 * @author livesession
 */
final class InMemoryTopicIndex implements TopicIndex {

	private static final Log logger = LogFactory.getLog(InMemoryTopicIndex.class);

	private final ConnectionRegistry registry;

	private final Supplier<TopicPresence> presence;

	private final Supplier<List<TopicListener>> listeners;

	private final int maxPerConnection;

	private final SetIndex<LiveConnection> members = new SetIndex<>();

	/** Topic to the members recovering it; consulted only for topics present here. */
	private final Map<String, Map<LiveConnection, HoldBack>> recovering = new ConcurrentHashMap<>();

	InMemoryTopicIndex(ConnectionRegistry registry, Supplier<? extends TopicPresence> presence,
			Supplier<? extends List<TopicListener>> listeners, int maxPerConnection) {
		Assert.isTrue(maxPerConnection > 0, "'maxPerConnection' must be positive");
		this.registry = registry;
		this.presence = SingletonSupplier.of(presence::get);
		this.listeners = SingletonSupplier.of(() -> List.copyOf(listeners.get()));
		this.maxPerConnection = maxPerConnection;
	}

	@Override
	public boolean join(LiveConnection connection, String topic) {
		Assert.isTrue(Topics.isValidName(topic), () -> "Invalid topic name '" + topic + "'");
		TopicMember base = bound(connection);
		Set<String> topics = base.topicMemberships();
		synchronized (topics) {
			if (topics.contains(topic)) {
				return false;
			}
			if (!connection.isOpen()) {
				// Closing: its close leaves its topics after this, or did already.
				return false;
			}
			if (topics.size() >= this.maxPerConnection) {
				throw new IllegalArgumentException("Connection " + connection.getId() + " is in "
						+ this.maxPerConnection + " topics already, as many as it may be");
			}
			topics.add(topic);
			this.members.add(topic, connection);
			tell(connection, topic, (listener) -> listener.topicJoined(connection, topic));
			return true;
		}
	}

	@Override
	public int join(BroadcastTarget target, String topic) {
		Assert.isTrue(Topics.isValidName(topic), () -> "Invalid topic name '" + topic + "'");
		int count = 0;
		for (LiveConnection connection : matching(target)) {
			try {
				count += join(connection, topic) ? 1 : 0;
			}
			catch (IllegalArgumentException ex) {
				// One full connection must not keep the others out.
				logger.debug(ex.getMessage());
			}
		}
		return count;
	}

	@Override
	public boolean leave(LiveConnection connection, String topic) {
		if (!(connection instanceof TopicMember base)) {
			return false;
		}
		Set<String> topics = base.topicMemberships();
		synchronized (topics) {
			if (!topics.remove(topic)) {
				return false;
			}
			left(connection, topic);
			return true;
		}
	}

	@Override
	public int leave(BroadcastTarget target, String topic) {
		int count = 0;
		for (LiveConnection connection : matching(target)) {
			count += leave(connection, topic) ? 1 : 0;
		}
		return count;
	}

	private void left(LiveConnection connection, String topic) {
		this.members.remove(topic, connection);
		endHoldBack(connection, topic);
		tell(connection, topic, (listener) -> listener.topicLeft(connection, topic));
	}

	@Override
	public void connectionRegistered(LiveConnection connection) {
		if (connection instanceof TopicMember base) {
			base.bindTopics(this);
		}
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		if (!(connection instanceof TopicMember base)) {
			return;
		}
		Set<String> topics = base.topicMemberships();
		synchronized (topics) {
			for (String topic : List.copyOf(topics)) {
				topics.remove(topic);
				left(connection, topic);
			}
		}
	}

	@Override
	public int deliver(String topic, Frame frame) {
		Set<LiveConnection> connections = this.members.get(topic);
		if (connections == null) {
			return 0;
		}
		int count = 0;
		for (LiveConnection connection : connections) {
			// Looked up for each member, not once: a member that joins while the loop
			// runs is seen by it, and started its hold-back before it joined.
			if (!this.recovering.isEmpty() && holdBack(topic, connection, frame)) {
				count++;
			}
			else if (connection.send(frame)) {
				count++;
			}
		}
		return count;
	}

	private boolean holdBack(String topic, LiveConnection connection, Frame frame) {
		Map<LiveConnection, HoldBack> held = this.recovering.get(topic);
		HoldBack holdBack = (held != null) ? held.get(connection) : null;
		if (holdBack == null) {
			return false;
		}
		if (holdBack.take(frame)) {
			return true;
		}
		if (holdBack.isDone(frame)) {
			endHoldBack(connection, topic);
		}
		return false;
	}

	@Override
	public void holdBack(LiveConnection connection, String topic) {
		this.recovering.computeIfAbsent(topic, (key) -> new ConcurrentHashMap<>()).put(connection, new HoldBack());
	}

	@Override
	public void release(LiveConnection connection, String topic, long lastOffset) {
		Map<LiveConnection, HoldBack> held = this.recovering.get(topic);
		HoldBack holdBack = (held != null) ? held.get(connection) : null;
		if (holdBack == null) {
			return;
		}
		holdBack.release(connection, lastOffset);
		if (!isMember(connection, topic)) {
			// It did not join (refused, closing) or left already: nothing will end it.
			endHoldBack(connection, topic);
		}
	}

	private static boolean isMember(LiveConnection connection, String topic) {
		return connection.getTopics().contains(topic);
	}

	private void endHoldBack(LiveConnection connection, String topic) {
		this.recovering.computeIfPresent(topic, (key, held) -> {
			held.remove(connection);
			return held.isEmpty() ? null : held;
		});
	}

	@Override
	public Collection<LiveConnection> findMembers(String topic) {
		Set<LiveConnection> connections = this.members.get(topic);
		return (connections != null) ? Collections.unmodifiableSet(connections) : Collections.emptySet();
	}

	@Override
	public Set<String> getTopicNames() {
		return this.members.keys();
	}

	@Override
	public long getMemberCount(String topic) {
		return this.presence.get().getMemberCount(topic);
	}

	@Override
	public Set<String> getMemberUserIds(String topic) {
		return this.presence.get().getMemberUserIds(topic);
	}

	@Override
	public int getMaxPerConnection() {
		return this.maxPerConnection;
	}

	private TopicMember bound(LiveConnection connection) {
		if (connection instanceof TopicMember base && base.getBoundTopics() == this) {
			return base;
		}
		throw new IllegalArgumentException(
				"Connection " + connection.getId() + " is not a registered connection of this instance");
	}

	/** The local connections a target matches, by the registry's indexes. */
	private Collection<LiveConnection> matching(BroadcastTarget target) {
		if (target instanceof BroadcastTarget.Topic topic) {
			return List.copyOf(findMembers(topic.name()));
		}
		List<LiveConnection> matches = new ArrayList<>();
		if (target instanceof BroadcastTarget.All) {
			matches.addAll(this.registry.findAll());
		}
		else if (target instanceof BroadcastTarget.Groups groups) {
			groups.groupIds().forEach((id) -> matches.addAll(this.registry.findByGroup(id)));
		}
		else if (target instanceof BroadcastTarget.Users users) {
			users.userIds().forEach((id) -> matches.addAll(this.registry.findByUser(id)));
		}
		else if (target instanceof BroadcastTarget.Connections connections) {
			for (String id : connections.connectionIds()) {
				LiveConnection connection = this.registry.find(id);
				if (connection != null) {
					matches.add(connection);
				}
			}
		}
		else if (target instanceof BroadcastTarget.Authority authority) {
			this.registry.findAll()
				.stream()
				.filter((c) -> c.getAuthorities().contains(authority.authority()))
				.forEach(matches::add);
		}
		else if (target instanceof BroadcastTarget.UserFilter userFilter) {
			this.registry.getUserIds()
				.stream()
				.filter(userFilter.filter())
				.forEach((id) -> matches.addAll(this.registry.findByUser(id)));
		}
		else if (target instanceof BroadcastTarget.Matching matching) {
			this.registry.findAll().stream().filter(matching.filter()).forEach(matches::add);
		}
		return matches;
	}

	private void tell(LiveConnection connection, String topic, Consumer<TopicListener> call) {
		for (TopicListener listener : this.listeners.get()) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				// A listener's failure must not fail the connection nor keep the others
				// from being told.
				logger.error("Topic listener " + listener + " failed for connection " + connection.getId()
						+ " in topic " + topic, ex);
			}
		}
	}

}
