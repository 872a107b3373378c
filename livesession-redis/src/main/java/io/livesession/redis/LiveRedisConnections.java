package io.livesession.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceSslClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The Redis connections livesession itself uses (group store, delivery, presence,
 * revocations, health), bounded by its own command timeout whatever the application's
 * {@code spring.data.redis.timeout} says: with Boot's defaults Lettuce waits 60 seconds
 * for an answer and queues commands while disconnected, which would leave actions without
 * an answer for a minute and apply them after Redis is back.
 *
 * <p>
 * When the application's factory is a {@link LettuceConnectionFactory} (Boot's default),
 * this holds a second one for the same Redis (standalone, Sentinel or Cluster) with the
 * same client settings (SSL, credentials, client resources, read-from, options), except
 * that every command times out after the given timeout (Lettuce's {@code TimeoutOptions},
 * which cancel the command; the connection handshake keeps the application's timeout) and
 * fails at once while the connection is down ({@code REJECT_COMMANDS}), so a command
 * answered {@code unavailable} never runs later. Copied from the application's factory
 * rather than rebuilt from {@code RedisProperties}, so every customizer and connection
 * detail the application has applies as is. Any other factory (e.g. Jedis, whose socket
 * timeout already defaults to 2 seconds) is used as it is. The copy is not a
 * {@code RedisConnectionFactory} bean, so the application's injection points stay
 * unambiguous.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveRedisConnections implements DisposableBean {

	private static final Log logger = LogFactory.getLog(LiveRedisConnections.class);

	/**
	 * How often livesession's cluster client reads the topology when nothing else made
	 * it.
	 */
	static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(10);

	/**
	 * The longest wait between two reconnect attempts of livesession's connections; an
	 * attempt a second costs one TCP connect.
	 */
	static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(1);

	private static final boolean LETTUCE = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			LiveRedisConnections.class.getClassLoader());

	private final RedisConnectionFactory connectionFactory;

	private final @Nullable DisposableBean owned;

	private final Duration commandTimeout;

	private LiveRedisConnections(RedisConnectionFactory connectionFactory, @Nullable DisposableBean owned,
			Duration commandTimeout) {
		this.connectionFactory = connectionFactory;
		this.owned = owned;
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Connections for livesession on the application's Redis.
	 * @param application the application's connection factory
	 * @param commandTimeout the longest time a command may wait for its answer
	 * @return the connections
	 */
	public static LiveRedisConnections create(RedisConnectionFactory application, Duration commandTimeout) {
		Assert.notNull(application, "'application' must not be null");
		Assert.isTrue(!commandTimeout.isNegative() && !commandTimeout.isZero(), "'commandTimeout' must be positive");
		if (LETTUCE && application instanceof LettuceConnectionFactory lettuce) {
			LettuceConnectionFactory own = Lettuce.copy(lettuce, commandTimeout);
			return new LiveRedisConnections(own, own, commandTimeout);
		}
		logger.info("livesession uses the application's " + application.getClass().getSimpleName()
				+ " as it is: its own timeout bounds livesession's Redis calls");
		return new LiveRedisConnections(application, null, commandTimeout);
	}

	/**
	 * The connection factory for livesession's own Redis calls.
	 * @return the factory
	 */
	public RedisConnectionFactory getConnectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * The command timeout.
	 * @return the timeout
	 */
	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	@Override
	public void destroy() throws Exception {
		if (this.owned != null) {
			this.owned.destroy();
		}
	}

	/** Kept apart so that nothing of Lettuce is loaded when it is absent. */
	private static final class Lettuce {

		static LettuceConnectionFactory copy(LettuceConnectionFactory application, Duration commandTimeout) {
			RedisConfiguration configuration = application.isClusterAware() ? application.getClusterConfiguration()
					: application.isRedisSentinelAware() ? application.getSentinelConfiguration()
							: application.getStandaloneConfiguration();
			LettuceConnectionFactory own = new LettuceConnectionFactory(configuration,
					bounded(application.getClientConfiguration(), application.isClusterAware(), commandTimeout));
			own.setDatabase(application.getDatabase());
			own.afterPropertiesSet();
			own.start();
			return own;
		}

		/**
		 * The application's topology refresh, or, when it has none (Boot's default), an
		 * adaptive one with a periodic backstop: without it a client keeps sending to a
		 * master that died, and every action after a failover would answer
		 * {@code unavailable} until a restart.
		 */
		private static ClusterTopologyRefreshOptions refresh(ClusterTopologyRefreshOptions application) {
			if (application.isPeriodicRefreshEnabled() || !application.getAdaptiveRefreshTriggers().isEmpty()) {
				return application;
			}
			return ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.refreshTriggersReconnectAttempts(1)
				.enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
				.dynamicRefreshSources(application.useDynamicRefreshSources())
				.build();
		}

		/**
		 * The application's client configuration with livesession's command timeout and
		 * fail-fast options.
		 */
		private static LettuceClientConfiguration bounded(LettuceClientConfiguration application, boolean cluster,
				Duration commandTimeout) {
			LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
			if (application.isUseSsl()) {
				LettuceSslClientConfigurationBuilder ssl = builder.useSsl().verifyPeer(application.getVerifyMode());
				if (application.isStartTls()) {
					ssl.startTls();
				}
			}
			// Without application resources the factory creates and owns default ones,
			// with
			// Lettuce's default delay: Boot's auto-configuration always provides them.
			application.getClientResources()
				.ifPresent((resources) -> builder
					.clientResources(new BoundedReconnectResources(resources, RECONNECT_DELAY_MAX)));
			application.getClientName().ifPresent(builder::clientName);
			application.getReadFrom().ifPresent(builder::readFrom);
			application.getRedisCredentialsProviderFactory().ifPresent(builder::redisCredentialsProviderFactory);
			ClientOptions options = application.getClientOptions()
				.orElseGet(() -> cluster ? ClusterClientOptions.create() : ClientOptions.create());
			if (options instanceof ClusterClientOptions clusterOptions) {
				options = clusterOptions.mutate()
					.topologyRefreshOptions(refresh(clusterOptions.getTopologyRefreshOptions()))
					.build();
			}
			// mutate() keeps the subclass: cluster options stay cluster options.
			return builder
				.clientOptions(options.mutate()
					.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
					.timeoutOptions(TimeoutOptions.enabled(commandTimeout))
					.build())
				// The application's: Lettuce also bounds the connection handshake by it,
				// and a cold start on a busy machine can take longer than livesession's
				// command timeout. Commands are bounded by the timeout options instead.
				.commandTimeout(application.getCommandTimeout())
				.shutdownTimeout(application.getShutdownTimeout())
				.shutdownQuietPeriod(application.getShutdownQuietPeriod())
				.build();
		}

	}

}
