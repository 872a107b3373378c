package io.livesession.redis;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * One of livesession's channels, or a set of channels added and removed as they are
 * needed ({@link #add}, {@link #remove}): each message's body, as text, goes to one
 * handler, one message at a time and in the order the messages arrived; a message the
 * handler cannot decode is logged and dropped, so later messages still arrive.
 *
 * <p>
 * Two implementations, named by what backs them: {@link ContainerChannelSubscription},
 * classic {@code SUBSCRIBE} on the shared listener container, and
 * {@link LettuceShardedSubscription}, sharded {@code SSUBSCRIBE} on a Redis Cluster.
 *
 * @author livesession
 */
interface ChannelSubscription extends AutoCloseable {

	/**
	 * Subscribe a handler to a channel of the listener container.
	 * @param container the listener container
	 * @param channel the channel
	 * @param handler what to do with a message's body
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ContainerChannelSubscription subscribe(RedisMessageListenerContainer container, String channel,
			Consumer<String> handler) {
		return ContainerChannelSubscription.subscribe(container, channel, handler);
	}

	/**
	 * Subscribe to a channel of the listener container with a handler that may handle a
	 * message on the thread that received it.
	 * @param container the listener container
	 * @param channel the channel
	 * @param handler what to do with a message's body on a receiver thread
	 * @param atOnce what to do with it on the receiving thread, when nothing is queued
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ContainerChannelSubscription subscribe(RedisMessageListenerContainer container, String channel,
			Consumer<String> handler, AtOnce atOnce) {
		return ContainerChannelSubscription.subscribe(container, channel, handler, atOnce);
	}

	/**
	 * A subscription of the listener container to no channel yet, whose channels are
	 * {@link #add added} later.
	 * @param container the listener container
	 * @param name what the channels are, for logs
	 * @param handler what to do with a message's body
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ContainerChannelSubscription create(RedisMessageListenerContainer container, String name,
			Consumer<String> handler) {
		return ContainerChannelSubscription.create(container, name, handler);
	}

	/**
	 * Subscribe to one more channel, at once when Redis is reachable, or when it is back;
	 * either way Redis's confirmation completes the future. A confirmation is the point
	 * from which every message published to the channel reaches this subscription.
	 * @param channel the channel
	 * @param confirmed completed when Redis confirms the subscription
	 */
	void add(String channel, CompletableFuture<Void> confirmed);

	/**
	 * Unsubscribe from a channel {@link #add added} before.
	 * @param channel the channel
	 */
	void remove(String channel);

	/**
	 * Whether the subscriber connection is up now, so that a subscription can be
	 * confirmed soon.
	 * @return whether it is listening
	 */
	boolean isListening();

	/** Stop receiving. */
	@Override
	void close();

	/**
	 * Handles a message on the thread that received it, which must not wait for anything
	 * (Lettuce's event loop).
	 */
	@FunctionalInterface
	interface AtOnce {

		/**
		 * Handle what can be handled at once.
		 * @param body the message's body
		 * @return what is left to do on a receiver thread, before the channel's later
		 * messages, or {@code null} when the message is handled
		 */
		@Nullable Runnable receive(String body);

	}

}
