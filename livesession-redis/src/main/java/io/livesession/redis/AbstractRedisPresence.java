package io.livesession.redis;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The base of {@link RedisPresence} and {@link RedisTopicPresence}: their
 * {@link PresenceSync}, the source of the events it publishes, and its lifecycle, the
 * writer running from start to stop and the subscription open until the bean is
 * destroyed.
 *
 * @author livesession
 */
abstract class AbstractRedisPresence implements SmartLifecycle, DisposableBean {

	final PresenceSync sync;

	AbstractRedisPresence(RedisConnectionFactory connectionFactory, RedisMessageListenerContainer listeners,
			PresenceKeys keys, String channel, String instanceId, Duration heartbeat,
			ApplicationEventPublisher publisher, Log logger) {
		this.sync = new PresenceSync(connectionFactory, listeners, keys, channel, instanceId, heartbeat, this,
				publisher, logger);
	}

	@Override
	public void start() {
		this.sync.start();
	}

	/**
	 * Remove this instance's share at once, so its connections leave the counts now
	 * rather than when its lease runs out.
	 */
	@Override
	public void stop() {
		this.sync.stop();
	}

	@Override
	public boolean isRunning() {
		return this.sync.isRunning();
	}

	@Override
	public void destroy() {
		this.sync.destroy();
	}

}
