package io.livesession.topic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the in-memory {@link TopicLog} with the shipped defaults: patterns, offsets,
 * the bound of the history, epochs and the history's time to live.
 */
class InMemoryTopicLogTests {

	private final MutableClock clock = new MutableClock();

	private final TopicLog log = new InMemoryTopicLog(List.of("feed:*", "exact"), LiveTopics.DEFAULT_HISTORY_SIZE,
			LiveTopics.DEFAULT_HISTORY_TTL, this.clock);

	@Test
	void topicsAreRecoverableByPattern() {
		assertThat(this.log.isRecoverable("feed:1")).isTrue();
		assertThat(this.log.isRecoverable("feed:")).isTrue();
		assertThat(this.log.isRecoverable("exact")).isTrue();
		assertThat(this.log.isRecoverable("exact:no")).isFalse();
		assertThat(this.log.isRecoverable("room:1")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> this.log.append("room:1", "1"));
		assertThat(LiveTopics.inMemoryLog(List.of(), 100, Duration.ofMinutes(5)).isRecoverable("feed:1")).isFalse();
	}

	@Test
	void publicationsGetConsecutiveOffsetsFromOneInOneEpoch() {
		TopicPosition start = this.log.position("feed:1");
		assertThat(start.offset()).isZero();
		TopicPublication first = this.log.append("feed:1", "\"a\"");
		TopicPublication second = this.log.append("feed:1", "\"b\"");
		assertThat(first.offset()).isEqualTo(1);
		assertThat(second.offset()).isEqualTo(2);
		assertThat(first.epoch()).isEqualTo(start.epoch()).isEqualTo(second.epoch());
		assertThat(this.log.position("feed:1")).isEqualTo(new TopicPosition(2, start.epoch()));
		assertThat(this.log.append("feed:2", "1").offset()).as("each topic counts its own").isEqualTo(1);
	}

	@Test
	void sinceGivesExactlyTheMissedPublicationsInOrder() {
		String epoch = this.log.position("feed:1").epoch();
		IntStream.rangeClosed(1, 60).forEach((i) -> this.log.append("feed:1", String.valueOf(i)));
		List<TopicPublication> missed = this.log.since("feed:1", new TopicPosition(10, epoch));
		assertThat(missed).extracting(TopicPublication::offset)
			.containsExactlyElementsOf(IntStream.rangeClosed(11, 60).mapToObj(Long::valueOf).toList());
		assertThat(missed).extracting(TopicPublication::data).first().isEqualTo("11");
		assertThat(this.log.since("feed:1", new TopicPosition(60, epoch))).isEmpty();
		assertThat(this.log.since("feed:1", new TopicPosition(0, epoch))).hasSize(60);
	}

	@Test
	void sinceIsNullBeyondTheHistoryBoundInAnotherEpochOrAhead() {
		String epoch = this.log.position("feed:1").epoch();
		IntStream.rangeClosed(1, 150).forEach((i) -> this.log.append("feed:1", String.valueOf(i)));
		assertThat(this.log.since("feed:1", new TopicPosition(50, epoch))).as("the last 100 are 51..150").hasSize(100);
		assertThat(this.log.since("feed:1", new TopicPosition(49, epoch))).isNull();
		assertThat(this.log.since("feed:1", new TopicPosition(0, epoch))).isNull();
		assertThat(this.log.since("feed:1", new TopicPosition(150, "other"))).isNull();
		assertThat(this.log.since("feed:1", new TopicPosition(151, epoch))).isNull();
	}

	@Test
	void aHistoryWithoutPublicationsForItsTimeToLiveStartsAgainInANewEpoch() {
		TopicPublication last = this.log.append("feed:1", "1");
		this.clock.advance(LiveTopics.DEFAULT_HISTORY_TTL.minusSeconds(1));
		assertThat(this.log.since("feed:1", new TopicPosition(0, last.epoch()))).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		TopicPosition restarted = this.log.position("feed:1");
		assertThat(restarted.offset()).isZero();
		assertThat(restarted.epoch()).isNotEqualTo(last.epoch());
		assertThat(this.log.since("feed:1", new TopicPosition(1, last.epoch()))).isNull();
		assertThat(this.log.append("feed:1", "2")).satisfies((publication) -> {
			assertThat(publication.offset()).isEqualTo(1);
			assertThat(publication.epoch()).isEqualTo(restarted.epoch());
		});
	}

	@Test
	void everyLogHasEpochsOfItsOwn() {
		TopicLog other = LiveTopics.inMemoryLog(List.of("feed:*"), 100, Duration.ofMinutes(5));
		assertThat(other.position("feed:1").epoch()).isNotEqualTo(this.log.position("feed:1").epoch());
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-12-02T12:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
