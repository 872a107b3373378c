package io.livesession.autoconfigure;

import io.livesession.ConnectionRegistry;
import io.livesession.topic.LiveTopics;
import io.livesession.topic.TopicIndex;
import io.livesession.topic.TopicListener;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPresence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Topics: the index of this instance's members (also the registry listener that lets
 * connections join and makes closed ones leave), the history of recoverable topics and
 * the presence in topics, in memory unless a store (Redis) configured its own.
 *
 * @author livesession
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

	private static final Log logger = LogFactory.getLog(TopicConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	TopicIndex liveTopics(ConnectionRegistry registry, ObjectProvider<TopicPresence> presence,
			ObjectProvider<TopicListener> listeners, LiveSessionProperties properties) {
		// Looked up on the first join, so that a listener may need the topics itself
		// (the Redis delivery channel does).
		return LiveTopics.inMemory(registry, presence::getObject, () -> listeners.orderedStream().toList(),
				properties.getTopics().getMaxPerConnection());
	}

	@Bean
	@ConditionalOnMissingBean
	TopicLog liveTopicLog(LiveSessionProperties properties) {
		LiveSessionProperties.Topics topics = properties.getTopics();
		if (!topics.getRecoverable().isEmpty()) {
			logger.info("livesession recoverable topics " + String.join(", ", topics.getRecoverable()) + " (history of "
					+ topics.getHistorySize() + " for " + topics.getHistoryTtl() + ", in memory)");
		}
		return LiveTopics.inMemoryLog(topics.getRecoverable(), topics.getHistorySize(), topics.getHistoryTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	TopicPresence liveTopicPresence(ApplicationEventPublisher publisher) {
		return LiveTopics.localPresence(publisher);
	}

}
