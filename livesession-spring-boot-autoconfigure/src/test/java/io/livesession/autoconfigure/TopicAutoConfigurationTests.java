package io.livesession.autoconfigure;

import java.util.List;
import java.util.Set;

import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.registry.RegistryListener;
import io.livesession.topic.TopicIndex;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPosition;
import io.livesession.topic.TopicPresence;
import io.livesession.topic.TopicPublication;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic beans: the index (the {@link Topics} applications inject, and a registry
 * listener), the in-memory log with the shipped defaults, the local presence, and an
 * application's own log and presence in their place.
 */
class TopicAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void topicsAreInMemoryWithNoRecoverableTopicByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Topics.class).hasSingleBean(TopicLog.class);
			assertThat(context.getBean(Topics.class)).isInstanceOf(TopicIndex.class)
				.isInstanceOf(RegistryListener.class);
			assertThat(context.getBeansOfType(RegistryListener.class).values())
				.contains(context.getBean(TopicIndex.class));
			assertThat(context.getBean(TopicIndex.class).getMaxPerConnection()).isEqualTo(64);
			assertThat(context.getBean(TopicLog.class).isRecoverable("room:a")).isFalse();
			assertThat(context).hasSingleBean(TopicPresence.class);
		});
	}

	@Test
	void theRecoverablePatternsAndTheLimitAreConfigurable() {
		this.contextRunner
			.withPropertyValues("livesession.topics.recoverable=room:*,doc:1",
					"livesession.topics.max-per-connection=3")
			.run((context) -> {
				TopicLog log = context.getBean(TopicLog.class);
				assertThat(log.isRecoverable("room:a")).isTrue();
				assertThat(log.isRecoverable("doc:1")).isTrue();
				assertThat(log.isRecoverable("doc:2")).isFalse();
				assertThat(context.getBean(TopicIndex.class).getMaxPerConnection()).isEqualTo(3);
			});
	}

	@Test
	void anApplicationsLogAndPresenceReplaceTheInMemoryOnes() {
		this.contextRunner.withUserConfiguration(OwnTopicBeans.class).run((context) -> {
			assertThat(context.getBean(TopicLog.class)).isSameAs(OwnTopicBeans.LOG);
			assertThat(context.getBean(TopicPresence.class)).isSameAs(OwnTopicBeans.PRESENCE);
			assertThat(context.getBean(Topics.class).getMemberCount("room:a")).isEqualTo(7);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTopicBeans {

		static final TopicLog LOG = new TopicLog() {

			@Override
			public boolean isRecoverable(String topic) {
				return false;
			}

			@Override
			public TopicPublication append(String topic, String data) {
				throw new UnsupportedOperationException();
			}

			@Override
			public TopicPosition position(String topic) {
				return new TopicPosition(0, "e");
			}

			@Override
			public @Nullable List<TopicPublication> since(String topic, TopicPosition from) {
				return null;
			}

		};

		static final TopicPresence PRESENCE = new TopicPresence() {

			@Override
			public long getMemberCount(String topic) {
				return 7;
			}

			@Override
			public Set<String> getMemberUserIds(String topic) {
				return Set.of();
			}

			@Override
			public void topicJoined(LiveConnection connection, String topic) {
			}

			@Override
			public void topicLeft(LiveConnection connection, String topic) {
			}

		};

		@Bean
		TopicLog ownTopicLog() {
			return LOG;
		}

		@Bean
		TopicPresence ownTopicPresence() {
			return PRESENCE;
		}

	}

}
