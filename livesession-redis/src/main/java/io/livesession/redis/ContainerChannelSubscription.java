package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * A {@link ChannelSubscription} on the shared listener container: classic
 * {@code SUBSCRIBE}, through Spring Data Redis.
 *
 * <p>
 * On a container of {@link RedisListenerContainers}, which calls this in arrival order on
 * the receiving thread, messages are queued and handled one at a time on a receiver
 * thread of the container: in Redis's order, and never held up by another channel's
 * handler. A subscription with an {@link ChannelSubscription.AtOnce} handler first lets
 * it handle a message on the receiving thread when nothing is queued, and queues only
 * what it leaves. On any other container messages are handled as that container
 * dispatches them.
 *
 * @author livesession
 */
final class ContainerChannelSubscription implements ChannelSubscription, MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(ContainerChannelSubscription.class);

	private final RedisMessageListenerContainer container;

	private final String channel;

	private final Consumer<String> handler;

	private final ChannelSubscription.@Nullable AtOnce atOnce;

	private final @Nullable Executor receivers;

	/** Messages, and what {@link #atOnce} left to do (runnables). */
	private final Queue<Object> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/** What waits for Redis to confirm the subscription of a channel, by channel. */
	private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();

	private ContainerChannelSubscription(RedisMessageListenerContainer container, String channel,
			Consumer<String> handler, ChannelSubscription.@Nullable AtOnce atOnce) {
		this.container = container;
		this.channel = channel;
		this.handler = handler;
		this.atOnce = atOnce;
		this.receivers = (container instanceof RedisListenerContainers.OwningContainer owning) ? owning.receivers()
				: null;
	}

	/**
	 * Subscribe a handler to a channel.
	 * @param container the listener container
	 * @param channel the channel
	 * @param handler what to do with a message's body
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ContainerChannelSubscription subscribe(RedisMessageListenerContainer container, String channel,
			Consumer<String> handler) {
		return subscribe(container, channel, handler, null);
	}

	/**
	 * Subscribe a handler to a channel.
	 * @param container the listener container
	 * @param channel the channel
	 * @param handler what to do with a message's body on a receiver thread
	 * @param atOnce what to do with it on the receiving thread when nothing is queued
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ContainerChannelSubscription subscribe(RedisMessageListenerContainer container, String channel,
			Consumer<String> handler, ChannelSubscription.@Nullable AtOnce atOnce) {
		ContainerChannelSubscription subscription = new ContainerChannelSubscription(container, channel, handler,
				atOnce);
		container.addMessageListener(subscription, new ChannelTopic(channel));
		return subscription;
	}

	/**
	 * A subscription to no channel yet, whose channels are {@link #add added} later.
	 * @param container the listener container
	 * @param name what the channels are, for logs
	 * @param handler what to do with a message's body
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ContainerChannelSubscription create(RedisMessageListenerContainer container, String name,
			Consumer<String> handler) {
		return new ContainerChannelSubscription(container, name, handler, null);
	}

	/**
	 * {@inheritDoc} The listener container subscribes at once when it is listening, or
	 * when it next connects.
	 */
	@Override
	public void add(String channel, CompletableFuture<Void> confirmed) {
		this.confirmations.put(channel, confirmed);
		this.container.addMessageListener(this, new ChannelTopic(channel));
	}

	@Override
	public void remove(String channel) {
		this.confirmations.remove(channel);
		this.container.removeMessageListener(this, new ChannelTopic(channel));
	}

	@Override
	public boolean isListening() {
		return this.container.isListening();
	}

	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		// On the container's receiving thread: only completes the future, whose
		// dependents must not run Redis commands here.
		CompletableFuture<Void> confirmed = this.confirmations.get(new String(channel, StandardCharsets.UTF_8));
		if (confirmed != null) {
			confirmed.complete(null);
		}
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		if (this.receivers == null) {
			handle(message);
			return;
		}
		// Only this thread adds to the queue: empty and not draining, every earlier
		// message has been handled, so handling this one here keeps the order.
		if (this.atOnce != null && this.queue.isEmpty() && this.draining.compareAndSet(false, true)) {
			try {
				Runnable rest = this.atOnce.receive(new String(message.getBody(), StandardCharsets.UTF_8));
				if (rest != null) {
					this.queue.add(rest);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Dropping an undecodable message on channel " + this.channel, ex);
			}
			finally {
				this.draining.set(false);
			}
			if (!this.queue.isEmpty()) {
				drainLater(this.receivers);
			}
			return;
		}
		this.queue.add(message);
		drainLater(this.receivers);
	}

	private void drainLater(Executor receivers) {
		if (this.draining.compareAndSet(false, true)) {
			try {
				receivers.execute(() -> drain(receivers));
			}
			catch (RejectedExecutionException ex) {
				// Destroyed: nobody is listening any more.
				this.draining.set(false);
			}
		}
	}

	private void drain(Executor receivers) {
		try {
			Object next;
			while ((next = this.queue.poll()) != null) {
				if (next instanceof Message message) {
					handle(message);
				}
				else {
					run((Runnable) next);
				}
			}
		}
		finally {
			this.draining.set(false);
		}
		// A message queued after the last poll, before the flag was cleared.
		if (!this.queue.isEmpty()) {
			drainLater(receivers);
		}
	}

	private void handle(Message message) {
		try {
			this.handler.accept(new String(message.getBody(), StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping an undecodable message on channel " + this.channel, ex);
		}
	}

	private void run(Runnable rest) {
		try {
			rest.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to handle a message on channel " + this.channel, ex);
		}
	}

	/** Stop receiving: the container outlives the component that subscribed. */
	@Override
	public void close() {
		this.container.removeMessageListener(this);
		this.queue.clear();
		this.confirmations.clear();
	}

}
