package io.livesession.delivery;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.topic.LiveTopics;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPosition;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the {@code publication} frames the broadcaster makes of payloads sent to a
 * topic, recoverable or not.
 */
class TopicPublicationTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final List<Frame> published = new CopyOnWriteArrayList<>();

	private final TopicLog log = LiveTopics.inMemoryLog(List.of("feed:*"), 100, Duration.ofMinutes(5));

	private final Broadcaster broadcaster = Delivery.broadcaster(this.mapper, (target, frame) -> {
		this.published.add(frame);
		return 1;
	}, ObservationRegistry.NOOP, null, this.log);

	@Test
	void anObjectIsSerializedOnceAsTheDataOfAPublication() {
		this.broadcaster.send(BroadcastTarget.topic("room:a"), Map.of("text", "hi"));
		Frame frame = this.published.get(0);
		assertThat(frame.getTopic()).isEqualTo("room:a");
		assertThat(frame.getTopicOffset()).isEqualTo(-1);
		assertThat(frame.getText())
			.isEqualTo("{\"type\":\"publication\",\"topic\":\"room:a\",\"data\":{\"text\":\"hi\"}}");
	}

	@Test
	void textIsTheJsonStringOfAPublication() {
		this.broadcaster.send(BroadcastTarget.topic("room:a"), "say \"hi\"");
		JsonNode frame = this.mapper.readTree(this.published.get(0).getText());
		assertThat(frame.get("data").isString()).isTrue();
		assertThat(frame.get("data").asString()).isEqualTo("say \"hi\"");
	}

	@Test
	void bytesCannotBePublished() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.broadcaster.send(BroadcastTarget.topic("room:a"), new byte[] { 1 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.broadcaster.send(BroadcastTarget.topic("room:a"), ByteBuffer.allocate(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.broadcaster.send(BroadcastTarget.topic("room:a"), Frame.text("{}")));
		assertThat(this.published).isEmpty();
	}

	@Test
	void aPublicationOfARecoverableTopicIsKeptFirstAndCarriesItsOffsetAndEpoch() {
		String epoch = this.log.position("feed:1").epoch();
		this.broadcaster.send(BroadcastTarget.topic("feed:1"), Map.of("n", 1));
		this.broadcaster.send(BroadcastTarget.topic("feed:1"), Map.of("n", 2));
		assertThat(this.published).extracting(Frame::getTopicOffset).containsExactly(1L, 2L);
		JsonNode second = this.mapper.readTree(this.published.get(1).getText());
		assertThat(second.propertyNames()).containsExactly("type", "topic", "data", "offset", "epoch");
		assertThat(second.get("offset").asLong()).isEqualTo(2);
		assertThat(second.get("epoch").asString()).isEqualTo(epoch);
		assertThat(this.log.since("feed:1", new TopicPosition(0, epoch))).extracting((p) -> p.data())
			.containsExactly("{\"n\":1}", "{\"n\":2}");
	}

	@Test
	void otherTargetsAreUnchanged() {
		this.broadcaster.send(BroadcastTarget.all(), "plain");
		assertThat(this.published.get(0).getText()).isEqualTo("plain");
		assertThat(this.published.get(0).getTopic()).isNull();
	}

}
