package io.livesession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.test.RedisTestConnections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link RedisDeliveryChannel} publishes broadcasts against a private
 * Redis: on the connection it already holds, never on a new one per broadcast.
 */
class RedisDeliveryChannelPublishTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final RedisConnectionFactory connectionFactory = redis.connectionFactory();

	private final TestListenerContainers containers = new TestListenerContainers();

	private final RedisDeliveryChannel channel = new RedisDeliveryChannel(this.connectionFactory,
			this.containers.start(this.connectionFactory), LocalDeliveryMocks.deliveringLater(), this.prefix + "ch",
			"instance-1", Set::of, (groupId) -> Frame.state("{}", 0), 16, false, Duration.ofSeconds(2));

	@AfterEach
	void stop() throws Exception {
		this.channel.destroy();
		this.containers.destroyAll();
	}

	@Test
	void broadcastsPublishedOneAtATimeArriveInOrderWithoutOpeningAConnectionEach() throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		RedisConnection subscriber = this.connectionFactory.getConnection();
		try {
			subscriber.subscribe((message, pattern) -> messages.add(new String(message.getBody())),
					(this.prefix + "ch").getBytes());
			Thread.sleep(200);
			TargetCodec codec = new TargetCodec(JsonMapper.builder().build());
			// The first publish may connect; what follows must not.
			publishAndReceive(0, messages, codec);
			long connectionsBefore = connectionsReceived();
			List<String> received = new ArrayList<>();
			for (int i = 1; i <= 100; i++) {
				// One at a time, as a paced application sends them: each its own batch.
				received.add(publishAndReceive(i, messages, codec));
			}
			assertThat(received).as("the texts, in order")
				.containsExactlyElementsOf(IntStream.rangeClosed(1, 100).mapToObj(this::text).toList());
			assertThat(connectionsReceived() - connectionsBefore).as("connections Redis accepted meanwhile")
				.isLessThanOrEqualTo(1);
		}
		finally {
			subscriber.close();
		}
	}

	private String publishAndReceive(int i, BlockingQueue<String> messages, TargetCodec codec)
			throws InterruptedException {
		this.channel.publish(BroadcastTarget.users("u" + i), Frame.text(text(i)));
		String message = messages.poll(5, TimeUnit.SECONDS);
		assertThat(message).as("broadcast " + i).isNotNull();
		return codec.decode(message, (groupId) -> Frame.state("{}", 0)).frame().getText();
	}

	private String text(int i) {
		return "broadcast " + i;
	}

	private long connectionsReceived() {
		Properties stats = redis.template()
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("stats"));
		return Long.parseLong(stats.getProperty("total_connections_received"));
	}

}
