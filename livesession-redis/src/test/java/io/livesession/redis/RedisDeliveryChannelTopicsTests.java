package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.delivery.LocalDelivery;
import io.livesession.protocol.ProtocolFrames;
import io.livesession.test.RedisTestConnections;
import io.livesession.topic.TopicPublication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/**
 * Tests for the topics of {@link RedisDeliveryChannel} against a private Redis: the
 * topic's channel is subscribed while the instance hosts a member, a broadcast to a topic
 * is one publish on it, and the publications its history's script published are not
 * published again but delivered when they come back.
 */
class RedisDeliveryChannelTopicsTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final RedisConnectionFactory connectionFactory = redis.connectionFactory();

	private final TestListenerContainers containers = new TestListenerContainers();

	private final LocalDelivery local = LocalDeliveryMocks.deliveringLater();

	private final RedisDeliveryChannel channel = new RedisDeliveryChannel(this.connectionFactory,
			this.containers.start(this.connectionFactory), this.local, this.prefix + "ch", "instance-1", Set::of,
			(groupId) -> Frame.state("{}", 0), 16, true, Duration.ofSeconds(2));

	@AfterEach
	void stop() throws Exception {
		this.channel.destroy();
		this.containers.destroyAll();
	}

	@Test
	void theTopicsChannelIsSubscribedFromTheFirstLocalMembersJoinToTheLastOnesLeave() {
		LiveConnection first = mock(LiveConnection.class);
		LiveConnection second = mock(LiveConnection.class);
		this.channel.topicJoined(first, "room:a");
		this.channel.topicJoined(second, "room:a");
		assertThat(this.channel.getRoutedChannelCount()).isEqualTo(1);
		this.channel.topicLeft(first, "room:a");
		assertThat(this.channel.getRoutedChannelCount()).isEqualTo(1);
		this.channel.topicLeft(second, "room:a");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.channel.getRoutedChannelCount() == 0);
	}

	@Test
	void aPublicationFromAnotherInstanceArrivesOnceTheJoinReturned() {
		this.channel.topicJoined(mock(LiveConnection.class), "room:a");
		// As another instance publishes it: the join's answer came after Redis
		// confirmed the subscription, so nothing published from now on is missed.
		Frame frame = Frame.publication("{\"type\":\"publication\",\"topic\":\"room:a\",\"data\":1}", "room:a", -1);
		redis.template()
			.convertAndSend(this.prefix + "ch:t:{room:a}", new TargetCodec(JsonMapper.builder().build()).encode("other",
					BroadcastTarget.topic("room:a"), frame));
		verify(this.local, timeout(5000)).deliver(BroadcastTarget.topic("room:a"), frame);
	}

	@Test
	void aPublicationTheLogsScriptPublishedIsDeliveredOnceWhenItComesBackWithEitherRouting() throws Exception {
		RedisDeliveryChannel broadcast = new RedisDeliveryChannel(this.connectionFactory,
				this.containers.start(this.connectionFactory), this.local, this.prefix + "shared", "instance-2",
				Set::of, (groupId) -> Frame.state("{}", 0), 16, false, Duration.ofSeconds(2));
		try {
			this.channel.topicJoined(mock(LiveConnection.class), "room:a");
			Thread.sleep(200);
			for (RedisDeliveryChannel delivery : List.of(this.channel, broadcast)) {
				RedisTopicLog log = new RedisTopicLog(this.connectionFactory, delivery, this.prefix, List.of("room:*"),
						10, Duration.ofMinutes(1));
				TopicPublication publication = log.append("room:a", "{\"n\":1}");
				Frame frame = new ProtocolFrames(JsonMapper.builder().build()).publication("room:a", publication.data(),
						publication.offset(), publication.epoch());
				// The broadcaster publishes the frame it built; the channel leaves it to
				// the subscription.
				assertThat(delivery.publish(BroadcastTarget.topic("room:a"), frame)).isZero();
				verify(this.local, timeout(5000).times(1)).deliver(BroadcastTarget.topic("room:a"), frame);
			}
		}
		finally {
			broadcast.destroy();
		}
	}

	@Test
	void aBroadcastToATopicIsOnePublishOnItsChannelAndALoggedOneIsLeftToTheLogsScript() throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		RedisConnection subscriber = this.connectionFactory.getConnection();
		subscriber.subscribe((message, pattern) -> messages.add(new String(message.getBody())),
				(this.prefix + "ch:t:{room:a}").getBytes());
		Thread.sleep(200);
		TargetCodec codec = new TargetCodec(JsonMapper.builder().build());
		// A log that publishes its publications itself is attached.
		new RedisTopicLog(this.connectionFactory, this.channel, this.prefix, List.of("room:*"), 10,
				Duration.ofMinutes(1));
		Frame logged = Frame.publication("{\"type\":\"publication\",\"n\":1}", "room:a", 1);
		assertThat(this.channel.publish(BroadcastTarget.topic("room:a"), logged)).isZero();
		Frame plain = Frame.publication("{\"type\":\"publication\",\"n\":2}", "room:a", -1);
		this.channel.publish(BroadcastTarget.topic("room:a"), plain);
		String message = messages.poll(5, TimeUnit.SECONDS);
		assertThat(message).isNotNull();
		assertThat(codec.decode(message, (groupId) -> Frame.state("{}", 0)).frame()).as("the first message")
			.isEqualTo(plain);
		verify(this.local).deliver(BroadcastTarget.topic("room:a"), plain);
		verify(this.local, org.mockito.Mockito.never()).deliver(any(), org.mockito.ArgumentMatchers.eq(logged));
		subscriber.close();
	}

}
