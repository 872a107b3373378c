package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * One of livesession's channels on the shared listener container: each message's body, as
 * text, goes to a handler; a message the handler cannot decode is logged and dropped, so
 * later messages still arrive.
 *
 * @author livesession
 */
final class ChannelSubscription implements MessageListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(ChannelSubscription.class);

	private final RedisMessageListenerContainer container;

	private final String channel;

	private final Consumer<String> handler;

	private ChannelSubscription(RedisMessageListenerContainer container, String channel, Consumer<String> handler) {
		this.container = container;
		this.channel = channel;
		this.handler = handler;
	}

	/**
	 * Subscribe a handler to a channel.
	 * @param container the listener container
	 * @param channel the channel
	 * @param handler what to do with a message's body
	 * @return the subscription, to be closed when its owner is destroyed
	 */
	static ChannelSubscription subscribe(RedisMessageListenerContainer container, String channel,
			Consumer<String> handler) {
		ChannelSubscription subscription = new ChannelSubscription(container, channel, handler);
		container.addMessageListener(subscription, new ChannelTopic(channel));
		return subscription;
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		try {
			this.handler.accept(new String(message.getBody(), StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			logger.warn("Dropping an undecodable message on channel " + this.channel, ex);
		}
	}

	/** Stop receiving: the container outlives the component that subscribed. */
	@Override
	public void close() {
		this.container.removeMessageListener(this);
	}

}
