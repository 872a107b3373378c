package io.livesession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.delivery.LocalDelivery;
import io.livesession.protocol.ProtocolFrames;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.test.RedisTestConnections;
import io.livesession.topic.TopicPosition;
import io.livesession.topic.TopicPublication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisTopicLog} against a private Redis.
 */
class RedisTopicLogTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final RedisConnectionFactory connectionFactory = redis.connectionFactory();

	private final StringRedisTemplate template = new StringRedisTemplate(this.connectionFactory);

	private final TestListenerContainers containers = new TestListenerContainers();

	private final RedisTopicLog log = new RedisTopicLog(this.connectionFactory, null, this.prefix,
			List.of("room:*", "doc"), 100, Duration.ofMinutes(5));

	@AfterEach
	void stop() throws Exception {
		this.containers.destroyAll();
	}

	@Test
	void onlyTopicsMatchingAPatternAreRecoverable() {
		assertThat(this.log.isRecoverable("room:a")).isTrue();
		assertThat(this.log.isRecoverable("doc")).isTrue();
		assertThat(this.log.isRecoverable("doc:1")).isFalse();
		assertThat(this.log.isRecoverable("rooms")).isFalse();
	}

	@Test
	void publicationsGetTheNextOffsetOfTheirTopicInOneEpoch() {
		TopicPosition start = this.log.position("room:a");
		assertThat(start.offset()).isZero();
		List<TopicPublication> appended = append("room:a", 3);
		assertThat(appended).extracting(TopicPublication::offset).containsExactly(1L, 2L, 3L);
		assertThat(appended).extracting(TopicPublication::epoch).containsOnly(start.epoch());
		assertThat(this.log.position("room:a")).isEqualTo(new TopicPosition(3, start.epoch()));
		assertThat(this.log.append("room:b", "{}").offset()).as("another topic counts on its own").isEqualTo(1);
	}

	@Test
	void theMissedPublicationsComeBackExactlyAndInOrder() {
		TopicPosition start = this.log.position("room:a");
		List<TopicPublication> appended = append("room:a", 50);
		assertThat(this.log.since("room:a", start)).containsExactlyElementsOf(appended);
		assertThat(this.log.since("room:a", new TopicPosition(20, start.epoch())))
			.containsExactlyElementsOf(appended.subList(20, 50));
		assertThat(this.log.since("room:a", new TopicPosition(50, start.epoch()))).as("up to date").isEmpty();
	}

	@Test
	void aGapBeyondTheHistorySizeAnotherEpochOrAnOffsetNotYetReachedCannotBeRecovered() {
		TopicPosition start = this.log.position("room:a");
		append("room:a", 250);
		assertThat(this.log.since("room:a", start)).isNull();
		assertThat(this.log.since("room:a", new TopicPosition(149, start.epoch()))).isNull();
		assertThat(this.log.since("room:a", new TopicPosition(150, start.epoch()))).hasSize(100);
		assertThat(this.log.since("room:a", new TopicPosition(150, "other"))).isNull();
		assertThat(this.log.since("room:a", new TopicPosition(251, start.epoch()))).isNull();
		assertThat(this.log.since("room:z", new TopicPosition(0, start.epoch()))).as("no history").isNull();
		assertThat(this.template.opsForStream().size(key("room:a", "log"))).as("trimmed").isLessThan(250);
	}

	@Test
	void aTopicWhoseKeysAreGoneStartsAgainInANewEpoch() {
		TopicPosition start = this.log.position("room:a");
		append("room:a", 5);
		// As after a restart of a Redis that kept nothing.
		this.template.delete(List.of(key("room:a", "log"), key("room:a", "offset"), key("room:a", "epoch")));
		TopicPublication next = this.log.append("room:a", "{}");
		assertThat(next.offset()).isEqualTo(1);
		assertThat(next.epoch()).isNotEqualTo(start.epoch());
		assertThat(this.log.since("room:a", new TopicPosition(5, start.epoch()))).isNull();
		assertThat(this.log.since("room:a", new TopicPosition(0, next.epoch()))).containsExactly(next);
	}

	@Test
	void everyKeyOfATopicExpiresAfterTheHistoryTimeToLive() {
		append("room:a", 1);
		for (String key : List.of("log", "offset", "epoch")) {
			assertThat(this.template.getExpire(key("room:a", key), TimeUnit.SECONDS)).as(key).isBetween(280L, 300L);
		}
		this.log.position("room:new");
		assertThat(this.template.getExpire(key("room:new", "epoch"), TimeUnit.SECONDS)).isBetween(280L, 300L);
	}

	@Test
	void withADeliveryChannelTheAppendPublishesThePublicationFrameOnTheTopicsChannel() throws Exception {
		RedisDeliveryChannel delivery = new RedisDeliveryChannel(this.connectionFactory,
				this.containers.create(this.connectionFactory), new LocalDelivery(ConnectionRegistries.inMemory()),
				this.prefix + "deliveries", "instance-1", Set::of, (groupId) -> Frame.state("{}", 0), 16, true,
				Duration.ofSeconds(1));
		try {
			RedisTopicLog publishing = new RedisTopicLog(this.connectionFactory, delivery, this.prefix,
					List.of("room:*"), 100, Duration.ofMinutes(5));
			BlockingQueue<String> messages = new LinkedBlockingQueue<>();
			RedisConnection subscriber = this.connectionFactory.getConnection();
			subscriber.subscribe((message, pattern) -> messages.add(new String(message.getBody())),
					(this.prefix + "deliveries:t:{room:a}").getBytes());
			Thread.sleep(200);
			TopicPublication first = publishing.append("room:a", "{\"text\":\"hi \\\"you\\\"\"}");
			TopicPublication second = publishing.append("room:a", "\"again\"");
			JsonMapper mapper = JsonMapper.builder().build();
			TargetCodec codec = new TargetCodec(mapper);
			for (TopicPublication publication : List.of(first, second)) {
				String message = messages.poll(5, TimeUnit.SECONDS);
				assertThat(message).isNotNull();
				TargetCodec.Decoded decoded = codec.decode(message, (groupId) -> Frame.state("{}", 1));
				assertThat(decoded.origin()).isEqualTo("instance-1");
				assertThat(decoded.target()).isEqualTo(BroadcastTarget.topic("room:a"));
				assertThat(decoded.frame().getTopic()).isEqualTo("room:a");
				assertThat(decoded.frame().getTopicOffset()).isEqualTo(publication.offset());
				JsonNode frame = mapper.readTree(decoded.frame().getText());
				assertThat(frame.propertyNames()).containsExactly("type", "topic", "data", "offset", "epoch");
				assertThat(frame.get("type").asString()).isEqualTo("publication");
				assertThat(frame.get("topic").asString()).isEqualTo("room:a");
				assertThat(frame.get("data")).isEqualTo(mapper.readTree(publication.data()));
				assertThat(frame.get("offset").asLong()).isEqualTo(publication.offset());
				assertThat(frame.get("epoch").asString()).isEqualTo(publication.epoch());
			}
			subscriber.close();
		}
		finally {
			delivery.destroy();
		}
	}

	@Test
	void theScriptsPublicationFrameIsTheOneProtocolFramesBuilds() {
		ProtocolFrames frames = new ProtocolFrames(JsonMapper.builder().build());
		String data = "{\"text\":\"\\\"</script>\",\"n\":[1,2]}";
		assertThat(this.log.frameHead("room:a", data) + 42 + ",\"epoch\":\"Ep0-_\"}")
			.isEqualTo(frames.publication("room:a", data, 42, "Ep0-_").getText());
	}

	@Test
	void anUnreachableRedisIsAnUnavailableStore() {
		RedisTopicLog unreachable = new RedisTopicLog(redis.unreachable(Duration.ofMillis(200)), null, this.prefix,
				List.of("*"), 10, Duration.ofMinutes(1));
		assertThatExceptionOfType(SessionGroupUnavailableException.class)
			.isThrownBy(() -> unreachable.append("room:a", "{}"));
		assertThatExceptionOfType(SessionGroupUnavailableException.class)
			.isThrownBy(() -> unreachable.position("room:a"));
	}

	private List<TopicPublication> append(String topic, int count) {
		List<TopicPublication> appended = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			appended.add(this.log.append(topic, "{\"n\":" + i + "}"));
		}
		return appended;
	}

	private String key(String topic, String name) {
		return this.prefix + "topic:{" + topic + "}:" + name;
	}

}
