package io.livesession.redis;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
	 * A listener container for livesession's channels. Messages are handled on one thread
	 * in the order they arrive: the container's default runs each message on a new
	 * thread, which would reorder the state frames of a group and the presence events of
	 * a user. Like any {@link RedisMessageListenerContainer} it must be initialized
	 * ({@code afterPropertiesSet}) and started, which a bean is; its {@code destroy} also
	 * ends that thread.
	 * @param connectionFactory the connection factory, best livesession's bounded one
	 * ({@link LiveRedisConnections})
	 * @return the container
	 */
	public static RedisMessageListenerContainer create(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		ExecutorService receiver = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "livesession-redis-receiver");
			thread.setDaemon(true);
			return thread;
		});
		RedisMessageListenerContainer container = new OwningContainer(receiver);
		container.setConnectionFactory(connectionFactory);
		container.setRecoveryBackoff(new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS));
		container.setTaskExecutor(receiver);
		return container;
	}

	/** Ends the receiving thread with the container. */
	private static final class OwningContainer extends RedisMessageListenerContainer {

		private final ExecutorService receiver;

		OwningContainer(ExecutorService receiver) {
			this.receiver = receiver;
		}

		@Override
		public void destroy() throws Exception {
			try {
				super.destroy();
			}
			finally {
				this.receiver.shutdown();
			}
		}

	}

}
