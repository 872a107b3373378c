package io.livesession.topic;

import org.springframework.util.Assert;

/**
 * One publication kept in a recoverable topic's history.
 *
 * @param topic the topic
 * @param offset its offset, 1 for the first publication of an epoch
 * @param epoch the epoch of the history
 * @param data the payload as JSON text, the {@code data} of the {@code publication} frame
 * @author livesession
 * @since 0.1.0
 */
public record TopicPublication(String topic, long offset, String epoch, String data) {

	public TopicPublication {
		Assert.hasText(topic, "'topic' must not be empty");
		Assert.isTrue(offset > 0, "'offset' must be positive");
		Assert.hasText(epoch, "'epoch' must not be empty");
		Assert.notNull(data, "'data' must not be null");
	}

}
