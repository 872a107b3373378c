package io.livesession.redis;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The one listener container of livesession's pub/sub channels (deliveries, presence,
 * revocations): one subscriber connection for all of them, resubscribed every 500 ms
 * after Redis comes back.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisListenerContainers {

	private RedisListenerContainers() {
	}

	/**
	 * A listener container for livesession's channels. Each channel's messages are
	 * handled in the order they arrive, one at a time, and apart from the other
	 * channels': the container's default runs each message on a new thread, which would
	 * reorder the state frames of a group and the presence events of a user, and one
	 * thread for all would let a slow presence listener hold up deliveries. Like any
	 * {@link RedisMessageListenerContainer} it must be initialized
	 * ({@code afterPropertiesSet}) and started, which a bean is; its {@code destroy} also
	 * ends its threads.
	 * @param connectionFactory the connection factory, best livesession's bounded one
	 * ({@link LiveRedisConnections})
	 * @return the container
	 */
	public static RedisMessageListenerContainer create(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		AtomicInteger threads = new AtomicInteger();
		// At most one thread per channel at a time (see ChannelSubscription).
		ExecutorService receivers = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "livesession-redis-receiver-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		RedisMessageListenerContainer container = new OwningContainer(receivers);
		container.setConnectionFactory(connectionFactory);
		container.setRecoveryBackoff(new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS));
		// On the thread that received the message, in arrival order: a subscription only
		// queues it there for its own receiver.
		container.setTaskExecutor(new SyncTaskExecutor());
		return container;
	}

	/** Holds the receivers' threads and ends them with the container. */
	static final class OwningContainer extends RedisMessageListenerContainer {

		private final ExecutorService receivers;

		private OwningContainer(ExecutorService receivers) {
			this.receivers = receivers;
		}

		ExecutorService receivers() {
			return this.receivers;
		}

		@Override
		public void destroy() throws Exception {
			try {
				super.destroy();
			}
			finally {
				this.receivers.shutdown();
			}
		}

	}

}
