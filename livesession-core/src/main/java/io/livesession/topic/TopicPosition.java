package io.livesession.topic;

import org.springframework.util.Assert;

/**
 * Where a recoverable topic's history stands: the offset of its last publication (0
 * before the first) in an epoch. The epoch changes whenever the history is lost (a
 * restart of the store, an expired history), so an offset is meaningful only with its
 * epoch.
 *
 * @param offset the offset, 0 or more
 * @param epoch the epoch
 * @author livesession
 * @since 0.1.0
 */
public record TopicPosition(long offset, String epoch) {

	public TopicPosition {
		Assert.isTrue(offset >= 0, "'offset' must not be negative");
		Assert.hasText(epoch, "'epoch' must not be empty");
	}

}
