package io.livesession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.delivery.DeliveryChannel;
import io.livesession.delivery.LocalDelivery;
import io.livesession.redis.BatchPublisher.Outgoing;
import io.livesession.registry.RegistryListener;
import io.livesession.topic.TopicListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link DeliveryChannel} across instances on Redis pub/sub: a broadcast is delivered to
 * this instance's connections at once and published, its target as data; the instances
 * that receive it match the target against their own registry. With interest-based
 * routing a broadcast to users or groups is published to a channel per recipient that
 * only the instances hosting it subscribe to (see {@link DeliveryRoutes}); as a
 * {@link RegistryListener} this channel subscribes on a user's or group's first local
 * connection, before its {@code hello}, and unsubscribes after the last. Otherwise, and
 * for every other target, it is published once on the shared channel that every instance
 * receives. Group {@code state} frames are published by the group store's commit script
 * and delivered in commit order on every instance ({@link GroupStateSequence}). A
 * broadcast to a topic is one publish on the topic's channel, which this channel
 * subscribes, as a {@link TopicListener}, on the topic's first local member; the
 * publications of a recoverable topic kept by {@link RedisTopicLog} are published by its
 * script and come back through the subscription, in offset order on every instance. The
 * shared listener container ({@link RedisListenerContainers}) resubscribes by itself
 * after Redis comes back.
 *
 * <p>
 * On a Redis Cluster whose masters run Redis 7 or later (through Lettuce) the routed
 * channels are sharded ({@code SSUBSCRIBE} / {@code SPUBLISH}, see {@link ShardedPubSub},
 * on Lettuce's own API since Spring Data Redis has no sharded pub/sub), so that each
 * targeted broadcast stays on the shard of its channel's slot; the shared channel stays
 * classic.
 *
 * <p>
 * Publishing never blocks the caller: messages go to a bounded buffer that one thread
 * drains, pipelining what has queued up ({@link BatchPublisher}). When the buffer is
 * full, or Redis cannot be reached, cross-instance frames are dropped (counted, and
 * logged at most every ten seconds) while local delivery goes on: raw frames are
 * delivered at most once. Clients notice the version gap of state frames and resync.
 *
 * @author livesession
 */
public final class RedisDeliveryChannel implements DeliveryChannel, RegistryListener, TopicListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisDeliveryChannel.class);

	/** Most messages pipelined in one go. */
	private static final int BATCH = 256;

	private static final boolean LETTUCE = ClassUtils.isPresent("io.lettuce.core.cluster.RedisClusterClient",
			RedisDeliveryChannel.class.getClassLoader());

	private final LocalDelivery local;

	private final DeliveryArrivals arrivals;

	private final BatchPublisher batches;

	private final ChannelSubscription subscription;

	private final DeliveryRoutes routes;

	private final @Nullable InterestSubscriptions interests;

	/** The routed channels' sharded pub/sub, on a Redis 7+ cluster. */
	private final @Nullable ShardedPubSub sharded;

	private final String instanceId;

	private final TargetCodec codec;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final BlockingQueue<Outgoing> outbox;

	private final Thread publisher;

	private volatile boolean closed;

	/**
	 * Whether a {@link RedisTopicLog} publishes the publications of recoverable topics.
	 */
	private volatile boolean logPublishes;

	private final ThrottledLog failures = new ThrottledLog(logger);

	/**
	 * Create a channel without interest-based routing: every broadcast is published on
	 * the shared channel. The parameters are those of the
	 * {@linkplain #RedisDeliveryChannel(RedisConnectionFactory, RedisMessageListenerContainer, LocalDelivery, String, String, Supplier, Function, int, boolean, Duration)
	 * other constructor}.
	 * @since 0.1.0
	 */
	public RedisDeliveryChannel(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			LocalDelivery local, String channel, String instanceId, Supplier<Set<String>> onlineUsers,
			Function<String, Frame> fullState, int buffer) {
		this(connectionFactory, listeners, local, channel, instanceId, onlineUsers, fullState, buffer, false,
				Duration.ZERO);
	}

	/**
	 * Create a channel.
	 * @param connectionFactory the Redis connection factory, best livesession's bounded
	 * one ({@link LiveRedisConnections})
	 * @param listeners the listener container of livesession's channels
	 * ({@link RedisListenerContainers}), which hands each channel's messages over one at
	 * a time in arrival order, so that state frames keep Redis's order
	 * @param local delivery to this instance's connections
	 * @param channel the shared pub/sub channel, and the prefix of the routed ones
	 * @param instanceId this instance's id
	 * @param onlineUsers the user ids online in the cluster, to turn a user filter into
	 * data
	 * @param fullState a group's current full-state frame, for coalescing remote state
	 * frames
	 * @param buffer how many messages may wait to be published; more are dropped
	 * @param interestRouting whether broadcasts to users and groups go only to the
	 * instances that host them; the instance must then be a {@link RegistryListener} of
	 * the endpoint
	 * @param subscribeTimeout how long a new connection's {@code hello} may wait for the
	 * subscription of its user's and group's channels
	 * @since 0.1.0
	 */
	public RedisDeliveryChannel(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			LocalDelivery local, String channel, String instanceId, Supplier<Set<String>> onlineUsers,
			Function<String, Frame> fullState, int buffer, boolean interestRouting, Duration subscribeTimeout) {
		this.local = local;
		this.routes = new DeliveryRoutes(channel, interestRouting);
		this.instanceId = instanceId;
		this.codec = new TargetCodec(JsonMapper.builder().build());
		this.outbox = new ArrayBlockingQueue<>(buffer);
		// Routed channels share the shared channel's queue: one arrival order for all.
		this.arrivals = new DeliveryArrivals(this.codec, instanceId, local, fullState, this::isLogged);
		this.subscription = ChannelSubscription.subscribe(listeners, channel, this.arrivals::received,
				this.arrivals::receivedAtOnce);
		this.sharded = (interestRouting && LETTUCE)
				? ShardedPubSub.open(connectionFactory, channel, this.arrivals::received, subscribeTimeout) : null;
		this.interests = interestRouting ? new InterestSubscriptions(
				(this.sharded != null) ? this.sharded.subscription() : this.subscription, subscribeTimeout) : null;
		this.batches = new BatchPublisher(connectionFactory, this.routes, this.sharded, onlineUsers, this::encode,
				subscribeTimeout);
		this.publisher = new Thread(this::drainOutbox, "livesession-redis-publisher");
		this.publisher.setDaemon(true);
		this.publisher.start();
	}

	/**
	 * Subscribe to the channels of the connection's user and group, if this instance
	 * hosts no other connection of them, and return once Redis confirmed it (at most the
	 * subscribe timeout): the endpoint greets the connection after its listeners
	 * returned, so no frame published after the {@code hello} is missed.
	 */
	@Override
	public void connectionRegistered(LiveConnection connection) {
		if (this.interests != null) {
			this.interests.acquire(this.routes.of(connection));
		}
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		if (this.interests != null) {
			this.interests.release(this.routes.of(connection));
		}
	}

	/**
	 * Subscribe to the topic's channel on its first local member, and return once Redis
	 * confirmed it (at most the subscribe timeout): the topic's publications reach the
	 * connection from the answer to its join on.
	 */
	@Override
	public void topicJoined(LiveConnection connection, String topic) {
		if (this.interests != null) {
			this.interests.acquire(List.of(this.routes.topic(topic)));
		}
	}

	@Override
	public void topicLeft(LiveConnection connection, String topic) {
		if (this.interests != null) {
			this.interests.release(List.of(this.routes.topic(topic)));
		}
	}

	@Override
	public int publish(BroadcastTarget target, Frame frame) {
		if (target instanceof BroadcastTarget.Matching) {
			// A Java predicate cannot travel: it is evaluated on this instance only.
			return this.local.deliver(target, frame);
		}
		if (isLogged(frame)) {
			// Published by the history's script already, and delivered here when it
			// comes back, in offset order like on every other instance.
			return 0;
		}
		// State frames reach this instance through the subscription too, so that every
		// instance sees them in Redis's order; other frames are delivered here at once
		// and survive a Redis outage.
		int count = frame.isState() ? 0 : this.local.deliver(target, frame);
		if (this.closed || !this.outbox.offer(new Outgoing(target, frame))) {
			failed(List.of(new Outgoing(target, frame)), "the publish buffer is full");
		}
		return count;
	}

	/**
	 * Encode a broadcast as a message of this channel, for a group store that publishes
	 * state frames in its commit.
	 * @param target a data target
	 * @param frame the frame
	 * @return the message
	 */
	String encode(BroadcastTarget target, Frame frame) {
		return this.codec.encode(this.instanceId, target, frame);
	}

	/** From now on publications with an offset are published by {@link RedisTopicLog}. */
	void leavePublicationsToLog() {
		this.logPublishes = true;
	}

	/** See {@link TargetCodec#publicationPieces}. */
	List<String> publicationPieces(String topic, String head, String middle, String tail) {
		return this.codec.publicationPieces(this.instanceId, topic, head, middle, tail);
	}

	/**
	 * The channel of a topic's publications.
	 * @param topic the topic
	 * @return the channel name
	 */
	String topicChannel(String topic) {
		return this.routes.topic(topic);
	}

	private boolean isLogged(Frame frame) {
		return this.logPublishes && frame.getTopic() != null && frame.getTopicOffset() >= 0;
	}

	private void drainOutbox() {
		List<Outgoing> batch = new ArrayList<>();
		while (!this.closed) {
			try {
				batch.add(this.outbox.take());
			}
			catch (InterruptedException ex) {
				return;
			}
			this.outbox.drainTo(batch, BATCH - 1);
			try {
				this.batches.publish(batch);
				this.published.addAndGet(batch.size());
			}
			catch (RuntimeException ex) {
				failed(batch, ex.getMessage());
			}
			batch.clear();
		}
	}

	private void failed(List<Outgoing> lost, @Nullable String reason) {
		for (Outgoing outgoing : lost) {
			this.dropped.incrementAndGet();
			if (outgoing.frame().isState()) {
				// Not published, so the subscription will not bring it back here.
				this.local.deliver(outgoing.target(), outgoing.frame());
			}
		}
		this.failures.warn(() -> "Cross-instance delivery failed, delivered on this instance only: " + reason);
	}

	/** The order of group state frames, which the group store's commits report to. */
	GroupStateSequence states() {
		return this.arrivals.states();
	}

	/**
	 * Messages published by this instance so far.
	 * @return the count
	 */
	public long getPublishedCount() {
		return this.published.get();
	}

	/**
	 * Messages that could not be published (buffer full or Redis unreachable) so far.
	 * @return the count
	 */
	public long getDroppedCount() {
		return this.dropped.get();
	}

	/**
	 * Messages received from Redis so far, on the shared channel and the routed ones,
	 * including this instance's own state frames.
	 * @return the count
	 * @since 0.1.0
	 */
	public long getReceivedCount() {
		return this.arrivals.count();
	}

	/**
	 * How many routed channels (of users, groups and topics hosted here) this instance is
	 * subscribed to.
	 * @return the count, 0 without interest-based routing
	 * @since 0.1.0
	 */
	public int getRoutedChannelCount() {
		return (this.interests != null) ? this.interests.size() : 0;
	}

	/**
	 * The shared pub/sub channel.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.routes.shared();
	}

	/**
	 * The channel a group's commit publishes its {@code state} frame to: the group's own
	 * with interest-based routing, the shared one otherwise.
	 * @param groupId the group
	 * @return the channel name
	 */
	String stateChannel(String groupId) {
		return this.routes.stateChannel(groupId);
	}

	/**
	 * Whether routed channels are sharded: the commit script then publishes a group's
	 * {@code state} frame with {@code SPUBLISH}.
	 * @return whether routed channels are sharded
	 */
	boolean isSharded() {
		return this.sharded != null;
	}

	/**
	 * This instance's id.
	 * @return the id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

	@Override
	public void destroy() {
		this.closed = true;
		this.publisher.interrupt();
		this.subscription.close();
		if (this.sharded != null) {
			this.sharded.close();
		}
	}

}
