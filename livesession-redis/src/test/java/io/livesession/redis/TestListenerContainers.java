package io.livesession.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The listener containers of one test, made as the auto-configuration makes its bean and
 * destroyed together.
 */
final class TestListenerContainers {

	private final List<RedisMessageListenerContainer> containers = new CopyOnWriteArrayList<>();

	/**
	 * An initialized container, not yet started.
	 * @param connectionFactory the connection factory
	 * @return the container
	 */
	RedisMessageListenerContainer create(RedisConnectionFactory connectionFactory) {
		RedisMessageListenerContainer container = RedisListenerContainers.create(connectionFactory);
		container.afterPropertiesSet();
		this.containers.add(container);
		return container;
	}

	/**
	 * A started container.
	 * @param connectionFactory the connection factory
	 * @return the container
	 */
	RedisMessageListenerContainer start(RedisConnectionFactory connectionFactory) {
		RedisMessageListenerContainer container = create(connectionFactory);
		container.start();
		return container;
	}

	void destroyAll() throws Exception {
		for (RedisMessageListenerContainer container : this.containers) {
			container.destroy();
		}
		this.containers.clear();
	}

}
