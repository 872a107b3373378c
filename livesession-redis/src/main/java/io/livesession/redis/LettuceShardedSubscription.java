package io.livesession.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.event.EventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

/**
 * A {@link ChannelSubscription} of sharded channels ({@code SSUBSCRIBE}) on a Redis
 * Cluster, on Lettuce's own cluster pub/sub connection: Spring Data Redis has no sharded
 * pub/sub, neither in {@code RedisConnection} nor in its listener container. Lettuce
 * sends each {@code SSUBSCRIBE} to the master of the channel's slot, over a pub/sub
 * connection of that node, and the command's future completes with Redis's confirmation.
 *
 * <p>
 * Lettuce resubscribes a node connection's channels when that connection reconnects to
 * its node, but not when a channel's slot moves to another node (a failover, a
 * resharding): Redis then ends the subscription ({@code sunsubscribe} sent by the server,
 * when the old master is still there) or the old master is gone. So this subscribes
 * again, through the cluster connection that routes by the current topology, every wanted
 * channel that Redis unsubscribed, all of them after each topology change Lettuce
 * reports, and those whose last subscribe failed after each reconnect.
 *
 * <p>
 * Messages arrive on the event-loop thread of each node's connection; they are handed to
 * the handler on one thread of this subscription, one at a time, in the order they were
 * received.
 *
 * @author livesession
 */
final class LettuceShardedSubscription implements ChannelSubscription {

	private static final Log logger = LogFactory.getLog(LettuceShardedSubscription.class);

	/** How often subscriptions that need it are made again, as the listener container. */
	static final Duration REPAIR = Duration.ofMillis(500);

	private final StatefulRedisClusterPubSubConnection<String, String> connection;

	private final String name;

	private final Consumer<String> handler;

	private final ExecutorService receiver;

	private final ScheduledExecutorService repairs;

	/**
	 * The wanted channels; guarded by itself, as are the commands sent for them, so that
	 * they leave in the order of the calls.
	 */
	private final Map<String, Channel> channels = new HashMap<>();

	private final Disposable events;

	/** Bumped by each topology change: subscriptions made before it are made again. */
	private volatile long topology;

	/** Whether a channel may need subscribing again. */
	private volatile boolean dirty;

	/** Whether the last subscribe reached Redis; false while it cannot be reached. */
	private volatile boolean reachable = true;

	private final ThrottledLog failures = new ThrottledLog(logger);

	LettuceShardedSubscription(StatefulRedisClusterPubSubConnection<String, String> connection, EventBus events,
			String name, Consumer<String> handler) {
		this.connection = connection;
		this.name = name;
		this.handler = handler;
		this.receiver = Executors.newSingleThreadExecutor((task) -> daemon(task, "livesession-redis-sharded-receiver"));
		this.repairs = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "livesession-redis-sharded"));
		connection.addListener(new Listener());
		this.events = events.get().subscribe((event) -> {
			if (event instanceof ClusterTopologyChangedEvent) {
				this.topology++;
				this.dirty = true;
			}
		});
		this.repairs.scheduleWithFixedDelay(this::repair, REPAIR.toMillis(), REPAIR.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	@Override
	public void add(String channel, CompletableFuture<Void> confirmed) {
		synchronized (this.channels) {
			Channel wanted = new Channel(confirmed);
			this.channels.put(channel, wanted);
			subscribe(channel, wanted);
		}
	}

	@Override
	public void remove(String channel) {
		synchronized (this.channels) {
			if (this.channels.remove(channel) != null) {
				this.connection.async().sunsubscribe(channel).exceptionally((ex) -> {
					// Unreachable: the node forgets the subscription with the connection.
					logger.debug("Unsubscribing from " + channel + " failed", ex);
					return null;
				});
			}
		}
	}

	/**
	 * {@inheritDoc} Here: whether the last subscribe reached Redis. Not the cluster
	 * connection's own state: that one is connected to one node, which may be a master
	 * that died while the channels' nodes are fine.
	 */
	@Override
	public boolean isListening() {
		return this.reachable;
	}

	/**
	 * How many sharded channels are wanted.
	 * @return the count
	 */
	int size() {
		synchronized (this.channels) {
			return this.channels.size();
		}
	}

	/** Guarded by the map of channels. */
	private void subscribe(String channel, Channel wanted) {
		long topology = this.topology;
		wanted.inFlight = true;
		this.connection.async().ssubscribe(channel).whenComplete((result, ex) -> {
			wanted.inFlight = false;
			if (ex == null) {
				this.reachable = true;
				wanted.topology = topology;
				wanted.confirmed.complete(null);
			}
			else {
				// Left unconfirmed: the next repair retries it.
				this.reachable = false;
				this.dirty = true;
				this.failures.warn(() -> "Subscribing to the sharded channel " + channel + " failed: " + ex);
			}
		});
	}

	/** Subscribe again what Redis unsubscribed, what failed, and all after a change. */
	private void repair() {
		if (!this.dirty) {
			return;
		}
		this.dirty = false;
		long topology = this.topology;
		synchronized (this.channels) {
			this.channels.forEach((channel, wanted) -> {
				if (wanted.inFlight) {
					this.dirty = true;
				}
				else if (wanted.topology < topology) {
					subscribe(channel, wanted);
				}
			});
		}
	}

	private void receive(String message) {
		try {
			this.receiver.execute(() -> handle(message));
		}
		catch (RejectedExecutionException ex) {
			// Closed: nobody is listening any more.
		}
	}

	private void handle(String message) {
		try {
			this.handler.accept(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping an undecodable message on the sharded channels of " + this.name, ex);
		}
	}

	@Override
	public void close() {
		this.events.dispose();
		this.repairs.shutdownNow();
		this.receiver.shutdownNow();
		synchronized (this.channels) {
			this.channels.clear();
		}
		this.connection.close();
	}

	/** A wanted channel. */
	private static final class Channel {

		private final CompletableFuture<Void> confirmed;

		/**
		 * The topology of its last confirmed subscribe; -1: none since Redis ended it.
		 */
		private volatile long topology = -1;

		private volatile boolean inFlight;

		private Channel(CompletableFuture<Void> confirmed) {
			this.confirmed = confirmed;
		}

	}

	private final class Listener extends RedisClusterPubSubAdapter<String, String> {

		@Override
		public void smessage(RedisClusterNode node, String channel, String message) {
			receive(message);
		}

		@Override
		public void sunsubscribed(RedisClusterNode node, String channel, long count) {
			// Ours (remove), or Redis's when the channel's slot left that node: then the
			// channel is still wanted and is subscribed on the slot's new master.
			synchronized (LettuceShardedSubscription.this.channels) {
				Channel wanted = LettuceShardedSubscription.this.channels.get(channel);
				if (wanted != null) {
					wanted.topology = -1;
					LettuceShardedSubscription.this.dirty = true;
				}
			}
		}

	}

}
