package io.livesession.autoconfigure;

import java.util.UUID;

import io.livesession.ConnectionRegistry;
import io.livesession.Presence;
import io.livesession.delivery.DeliveryChannel;
import io.livesession.delivery.LocalDelivery;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupStores;
import io.livesession.group.SessionGroupManager;
import io.livesession.identity.AnonymousCookieKey;
import io.livesession.redis.LiveRedisConnections;
import io.livesession.redis.RedisAnonymousCookieKey;
import io.livesession.redis.RedisDeliveryChannel;
import io.livesession.redis.RedisGroupStores;
import io.livesession.redis.RedisListenerContainers;
import io.livesession.redis.RedisPresence;
import io.livesession.redis.RedisRevocationChannel;
import io.livesession.redis.RedisTopicLog;
import io.livesession.redis.RedisTopicPresence;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.registry.LocalPresence;
import io.livesession.revocation.LocalRevocations;
import io.livesession.revocation.RevocationChannel;
import io.livesession.topic.TopicIndex;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPresence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ClassUtils;

/**
 * The group store, delivery channel and presence, in memory or on Redis. Imported in this
 * order, so Redis wins when it is available and memory is the fallback.
 *
 * @author livesession
 */
final class StoreConfigurations {

	private static final Log logger = LogFactory.getLog(StoreConfigurations.class);

	/** The bean name of livesession's Redis listener container. */
	static final String LISTENER_CONTAINER = "livesessionRedisListenerContainer";

	private StoreConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnRedisStore
	static class RedisStoreConfiguration {

		/**
		 * livesession's own connections, bounded by livesession.redis.command-timeout;
		 * not a RedisConnectionFactory bean, so the application's stays the only one.
		 */
		@Bean
		@ConditionalOnMissingBean
		LiveRedisConnections liveRedisConnections(RedisConnectionFactory connectionFactory,
				LiveSessionProperties properties) {
			return LiveRedisConnections.create(connectionFactory, properties.getRedis().getCommandTimeout());
		}

		/**
		 * One subscriber connection and one receiving thread for all of livesession's
		 * channels. Not a default candidate, so an application's own container stays the
		 * one its injection points get, and livesession never uses the application's.
		 */
		@Bean(name = LISTENER_CONTAINER, defaultCandidate = false)
		RedisMessageListenerContainer livesessionRedisListenerContainer(LiveRedisConnections connections) {
			return RedisListenerContainers.create(connections.getConnectionFactory());
		}

		@Bean
		@ConditionalOnMissingBean
		GroupStore liveGroupStore(LiveRedisConnections connections, ObjectProvider<RedisDeliveryChannel> channel,
				LiveSessionProperties properties) {
			LiveSessionProperties.Redis redis = properties.getRedis();
			// With livesession's own delivery channel, each commit publishes its state
			// frame itself, so state frames are in commit order on every instance.
			return RedisGroupStores.create(connections.getConnectionFactory(), redis.getKeyPrefix(),
					properties.getGroup().getTimeout(), redis.getCommitAttempts(), channel.getIfAvailable());
		}

		@Bean
		@ConditionalOnMissingBean(DeliveryChannel.class)
		RedisDeliveryChannel liveDeliveryChannel(LiveRedisConnections connections,
				@Qualifier(LISTENER_CONTAINER) RedisMessageListenerContainer listeners, ConnectionRegistry registry,
				ObjectProvider<Presence> presence, ObjectProvider<SessionGroupManager> groups,
				LiveSessionProperties properties, ObjectProvider<TopicIndex> topics) {
			LiveSessionProperties.Redis redis = properties.getRedis();
			// Also a registry listener: with interest-based routing it subscribes to the
			// channels of a connection's user and group before the connection's hello.
			return new RedisDeliveryChannel(connections.getConnectionFactory(), listeners,
					new LocalDelivery(registry, topics.getIfUnique()), redis.getChannel(), UUID.randomUUID().toString(),
					() -> presence.getObject().getOnlineUserIds(),
					(groupId) -> groups.getObject().currentFullState(groupId), redis.getPublishBuffer(),
					redis.getRouting() == LiveSessionProperties.Redis.Routing.INTEREST, redis.getCommandTimeout());
		}

		@Bean
		@ConditionalOnMissingBean(Presence.class)
		RedisPresence livePresence(LiveRedisConnections connections,
				@Qualifier(LISTENER_CONTAINER) RedisMessageListenerContainer listeners,
				ObjectProvider<RedisDeliveryChannel> channel, LiveSessionProperties properties,
				ApplicationEventPublisher publisher) {
			LiveSessionProperties.Redis redis = properties.getRedis();
			return new RedisPresence(connections.getConnectionFactory(), listeners, redis.getKeyPrefix(),
					redis.getChannel() + ":presence", instanceId(channel), redis.getPresenceHeartbeat(), publisher);
		}

		/**
		 * The delivery channel's id when there is one, so logs and keys name an instance
		 * the same way (the cluster leader's lease too).
		 */
		static String instanceId(ObjectProvider<RedisDeliveryChannel> channel) {
			RedisDeliveryChannel deliveries = channel.getIfAvailable();
			return (deliveries != null) ? deliveries.getInstanceId() : UUID.randomUUID().toString();
		}

		/**
		 * The history of recoverable topics in Redis streams, shared by the cluster; with
		 * livesession's delivery channel each append publishes its publication itself, so
		 * every instance sees a topic's publications in offset order.
		 */
		@Bean
		@ConditionalOnMissingBean(TopicLog.class)
		RedisTopicLog liveTopicLog(LiveRedisConnections connections, ObjectProvider<RedisDeliveryChannel> channel,
				LiveSessionProperties properties) {
			LiveSessionProperties.Topics topics = properties.getTopics();
			if (!topics.getRecoverable().isEmpty()) {
				logger.info("livesession recoverable topics " + String.join(", ", topics.getRecoverable())
						+ " (history of " + topics.getHistorySize() + " for " + topics.getHistoryTtl() + ", in Redis)");
			}
			return new RedisTopicLog(connections.getConnectionFactory(), channel.getIfAvailable(),
					properties.getRedis().getKeyPrefix(), topics.getRecoverable(), topics.getHistorySize(),
					topics.getHistoryTtl());
		}

		@Bean
		@ConditionalOnMissingBean(TopicPresence.class)
		RedisTopicPresence liveTopicPresence(LiveRedisConnections connections,
				@Qualifier(LISTENER_CONTAINER) RedisMessageListenerContainer listeners,
				ObjectProvider<RedisDeliveryChannel> channel, LiveSessionProperties properties,
				ApplicationEventPublisher publisher) {
			LiveSessionProperties.Redis redis = properties.getRedis();
			return new RedisTopicPresence(connections.getConnectionFactory(), listeners, redis.getKeyPrefix(),
					redis.getChannel() + ":topic-presence", instanceId(channel), redis.getPresenceHeartbeat(),
					publisher);
		}

		/**
		 * One key for the whole cluster, so every instance verifies the anonymous cookies
		 * of the others; {@code livesession.anonymous.secret} takes precedence.
		 */
		@Bean
		@ConditionalOnMissingBean
		AnonymousCookieKey liveAnonymousCookieKey(RedisConnectionFactory connectionFactory,
				LiveSessionProperties properties) {
			return new RedisAnonymousCookieKey(connectionFactory,
					properties.getRedis().getKeyPrefix() + "anonymous-cookie-key");
		}

		@Bean
		@ConditionalOnMissingBean(RevocationChannel.class)
		RedisRevocationChannel liveRevocationChannel(LiveRedisConnections connections,
				@Qualifier(LISTENER_CONTAINER) RedisMessageListenerContainer listeners, LocalRevocations local,
				LiveSessionProperties properties) {
			return new RedisRevocationChannel(connections.getConnectionFactory(), listeners, local,
					properties.getRedis().getChannel() + ":revocations", UUID.randomUUID().toString());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "livesession.store", havingValue = "redis")
	static class RedisRequiredConfiguration {

		/** Reached only when the Redis store could not be configured: says why. */
		@Bean
		@ConditionalOnMissingBean
		GroupStore liveGroupStore(ResourceLoader resourceLoader) {
			ClassLoader classLoader = resourceLoader.getClassLoader();
			String missing = !ClassUtils.isPresent("io.livesession.redis.RedisGroupStores", classLoader)
					? "livesession-redis is not on the classpath"
					: !ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory",
							classLoader) ? "Spring Data Redis is not on the classpath"
									: "there is no RedisConnectionFactory bean";
			throw new InvalidConfigurationPropertyValueException("livesession.store", "redis",
					missing + ": add spring-boot-starter-data-redis and livesession-redis with a Redis connection, "
							+ "or set livesession.store=memory");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GroupStore liveGroupStore(LiveSessionProperties properties) {
			return GroupStores.inMemory(properties.getGroup().getTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		DeliveryChannel liveDeliveryChannel(ConnectionRegistry registry, ObjectProvider<TopicIndex> topics) {
			return new LocalDelivery(registry, topics.getIfUnique());
		}

		@Bean
		@ConditionalOnMissingBean(Presence.class)
		LocalPresence livePresence(ConnectionRegistry registry, ApplicationEventPublisher publisher) {
			return ConnectionRegistries.localPresence(registry, publisher);
		}

		@Bean
		@ConditionalOnMissingBean
		RevocationChannel liveRevocationChannel(LocalRevocations local) {
			return local::revoke;
		}

	}

}
