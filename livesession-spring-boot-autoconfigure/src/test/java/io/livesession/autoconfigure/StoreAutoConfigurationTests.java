package io.livesession.autoconfigure;

import io.livesession.Presence;
import io.livesession.delivery.DeliveryChannel;
import io.livesession.delivery.LocalDelivery;
import io.livesession.group.GroupStore;
import io.livesession.redis.LiveRedisConnections;
import io.livesession.redis.RedisDeliveryChannel;
import io.livesession.redis.RedisGroupStores;
import io.livesession.redis.RedisPresence;
import io.livesession.redis.RedisRevocationChannel;
import io.livesession.redis.RedisTopicLog;
import io.livesession.redis.RedisTopicPresence;
import io.livesession.registry.LocalPresence;
import io.livesession.revocation.RevocationChannel;
import io.livesession.test.RedisTestConnections;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPresence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store choice of the auto-configuration ({@code livesession.store}): Redis when a
 * connection factory is there, memory otherwise or when asked for, and a clear failure
 * when Redis is asked for but cannot be had.
 */
class StoreAutoConfigurationTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	private WebApplicationContextRunner withRedis() {
		return this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.server().host(),
					"spring.data.redis.port=" + redis.server().port());
	}

	@Test
	void storeUnsetWithoutARedisConnectionFactoryKeepsEverythingInMemory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertInMemory(context.getBean(GroupStore.class), context.getBean(DeliveryChannel.class),
					context.getBean(Presence.class), context.getBean(RevocationChannel.class));
			assertThat(context).doesNotHaveBean(LiveRedisConnections.class)
				.doesNotHaveBean(StoreConfigurations.LISTENER_CONTAINER);
		});
	}

	@Test
	void storeUnsetWithARedisConnectionFactoryUsesRedisWithOneListenerContainer() {
		withRedis().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(GroupStore.class)).hasToString("Spring Session (FencedRedisSessionRepository)");
			assertThat(context.getBean(DeliveryChannel.class)).isInstanceOf(RedisDeliveryChannel.class);
			assertThat(context.getBean(Presence.class)).isInstanceOf(RedisPresence.class);
			assertThat(context.getBean(RevocationChannel.class)).isInstanceOf(RedisRevocationChannel.class);
			assertThat(context).hasSingleBean(LiveRedisConnections.class)
				.hasSingleBean(RedisMessageListenerContainer.class);
			RedisMessageListenerContainer container = context.getBean(StoreConfigurations.LISTENER_CONTAINER,
					RedisMessageListenerContainer.class);
			assertThat(container.isRunning()).isTrue();
			assertThat(container.getConnectionFactory()).as("livesession's bounded connections")
				.isSameAs(context.getBean(LiveRedisConnections.class).getConnectionFactory());
			assertThat(containerOf(context.getBean(RedisDeliveryChannel.class))).isSameAs(container);
			assertThat(containerOf(context.getBean(RedisPresence.class))).isSameAs(container);
			assertThat(containerOf(context.getBean(RedisRevocationChannel.class))).isSameAs(container);
			assertThat(context.getBean(TopicLog.class)).isInstanceOf(RedisTopicLog.class);
			assertThat(context.getBean(TopicPresence.class)).isInstanceOf(RedisTopicPresence.class);
			assertThat(context).hasSingleBean(TopicLog.class).hasSingleBean(TopicPresence.class);
			assertThat(containerOf(context.getBean(RedisTopicPresence.class))).isSameAs(container);
		});
	}

	@Test
	void theApplicationsOwnListenerContainerIsNeitherUsedNorShadowed() {
		withRedis().withUserConfiguration(OwnContainer.class).run((context) -> {
			assertThat(context).hasNotFailed();
			RedisMessageListenerContainer own = context.getBean("ownContainer", RedisMessageListenerContainer.class);
			assertThat(context.getBean(OwnContainerUser.class).container).isSameAs(own);
			assertThat(containerOf(context.getBean(RedisDeliveryChannel.class))).isNotSameAs(own)
				.isSameAs(context.getBean(StoreConfigurations.LISTENER_CONTAINER));
		});
	}

	@Test
	void storeMemoryKeepsEverythingInMemoryEvenWithRedis() {
		withRedis().withPropertyValues("livesession.store=memory").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RedisConnectionFactory.class);
			assertInMemory(context.getBean(GroupStore.class), context.getBean(DeliveryChannel.class),
					context.getBean(Presence.class), context.getBean(RevocationChannel.class));
			assertThat(context).doesNotHaveBean(StoreConfigurations.LISTENER_CONTAINER);
		});
	}

	@Test
	void storeRedisWithoutAConnectionFactoryFailsNamingThePropertyAndWhatIsMissing() {
		this.contextRunner.withPropertyValues("livesession.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("livesession.store")
				.hasMessageContaining("no RedisConnectionFactory bean")
				.hasMessageContaining("livesession.store=memory");
		});
	}

	@Test
	void storeRedisWithoutTheRedisModuleFailsSayingSo() {
		withRedis().withPropertyValues("livesession.store=redis")
			.withClassLoader(new FilteredClassLoader(RedisGroupStores.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("livesession.store")
					.hasMessageContaining("livesession-redis is not on the classpath");
			});
	}

	private static void assertInMemory(GroupStore store, DeliveryChannel delivery, Presence presence,
			RevocationChannel revocations) {
		assertThat(store).hasToString("in-memory (Spring Session MapSessionRepository)");
		assertThat(delivery).isInstanceOf(LocalDelivery.class);
		assertThat(presence).isInstanceOf(LocalPresence.class);
		assertThat(revocations).isNotInstanceOf(RedisRevocationChannel.class);
	}

	@Test
	void inMemoryTheTopicLogAndTopicPresenceAreTheInMemoryOnesEvenWithRedis() {
		withRedis().withPropertyValues("livesession.store=memory").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TopicLog.class)).isNotInstanceOf(RedisTopicLog.class);
			assertThat(context.getBean(TopicPresence.class)).isNotInstanceOf(RedisTopicPresence.class);
		});
	}

	private static Object containerOf(Object component) {
		// The presences hold their subscription in the base class they share; the lookup
		// searches superclasses.
		return ReflectionTestUtils.getField(ReflectionTestUtils.getField(component, "subscription"), "container");
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnContainer {

		@Bean
		RedisMessageListenerContainer ownContainer(RedisConnectionFactory connectionFactory) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(connectionFactory);
			return container;
		}

		@Bean
		OwnContainerUser ownContainerUser(RedisMessageListenerContainer container) {
			return new OwnContainerUser(container);
		}

	}

	static class OwnContainerUser {

		final RedisMessageListenerContainer container;

		OwnContainerUser(RedisMessageListenerContainer container) {
			this.container = container;
		}

	}

}
