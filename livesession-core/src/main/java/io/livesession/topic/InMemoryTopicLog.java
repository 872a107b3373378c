package io.livesession.topic;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import org.springframework.util.PatternMatchUtils;

/**
 * {@link TopicLog} of one instance: a ring buffer of the last publications per
 * recoverable topic. As on Redis, a topic's whole history goes when it had no publication
 * for the history's time to live, and the topic starts again at offset 0 in a new epoch;
 * the epochs of an instance are random, so none survives a restart. An expired topic
 * keeps only its position.
 *
 * @author livesession
 */
final class InMemoryTopicLog implements TopicLog {

	private final List<String> patterns;

	private final int historySize;

	private final long ttlMillis;

	private final Clock clock;

	private final Map<String, History> histories = new ConcurrentHashMap<>();

	InMemoryTopicLog(List<String> patterns, int historySize, Duration historyTtl, Clock clock) {
		Assert.isTrue(historySize > 0, "'historySize' must be positive");
		Assert.isTrue(!historyTtl.isNegative() && !historyTtl.isZero(), "'historyTtl' must be positive");
		this.patterns = List.copyOf(patterns);
		this.historySize = historySize;
		this.ttlMillis = historyTtl.toMillis();
		this.clock = clock;
	}

	@Override
	public boolean isRecoverable(String topic) {
		for (String pattern : this.patterns) {
			if (PatternMatchUtils.simpleMatch(pattern, topic)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public TopicPublication append(String topic, String data) {
		Assert.isTrue(isRecoverable(topic), () -> "Topic '" + topic + "' is not recoverable");
		return history(topic).append(topic, data, this.clock.millis());
	}

	@Override
	public TopicPosition position(String topic) {
		return history(topic).position(this.clock.millis());
	}

	@Override
	public @Nullable List<TopicPublication> since(String topic, TopicPosition from) {
		return history(topic).since(from, this.clock.millis());
	}

	private History history(String topic) {
		return this.histories.computeIfAbsent(topic, (key) -> new History());
	}

	private final class History {

		/** Guarded by {@code this}, as are the other fields. */
		private final ArrayDeque<TopicPublication> publications = new ArrayDeque<>();

		private String epoch = newEpoch();

		private long offset;

		private long lastAppend = InMemoryTopicLog.this.clock.millis();

		synchronized TopicPublication append(String topic, String data, long now) {
			expire(now);
			TopicPublication publication = new TopicPublication(topic, ++this.offset, this.epoch, data);
			if (this.publications.size() == InMemoryTopicLog.this.historySize) {
				this.publications.removeFirst();
			}
			this.publications.addLast(publication);
			this.lastAppend = now;
			return publication;
		}

		synchronized TopicPosition position(long now) {
			expire(now);
			return new TopicPosition(this.offset, this.epoch);
		}

		synchronized @Nullable List<TopicPublication> since(TopicPosition from, long now) {
			expire(now);
			if (!this.epoch.equals(from.epoch()) || from.offset() > this.offset) {
				return null;
			}
			long oldest = this.offset - this.publications.size() + 1;
			if (from.offset() + 1 < oldest) {
				return null;
			}
			List<TopicPublication> missed = new ArrayList<>((int) (this.offset - from.offset()));
			for (TopicPublication publication : this.publications) {
				if (publication.offset() > from.offset()) {
					missed.add(publication);
				}
			}
			return missed;
		}

		private void expire(long now) {
			if (this.offset > 0 && now - this.lastAppend >= InMemoryTopicLog.this.ttlMillis) {
				this.publications.clear();
				this.offset = 0;
				this.epoch = newEpoch();
			}
		}

		private static String newEpoch() {
			return UUID.randomUUID().toString().substring(0, 8);
		}

	}

}
