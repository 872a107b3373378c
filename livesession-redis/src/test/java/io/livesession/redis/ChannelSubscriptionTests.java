package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.DefaultMessage;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ContainerChannelSubscription} on a container of
 * {@link RedisListenerContainers}, fed as the container feeds it: in arrival order, on
 * the receiving thread.
 */
class ChannelSubscriptionTests {

	private final RedisMessageListenerContainer container = RedisListenerContainers
		.create(mock(RedisConnectionFactory.class));

	@AfterEach
	void destroy() throws Exception {
		this.container.destroy();
	}

	@Test
	void aChannelsMessagesAreHandledInArrivalOrderOffTheReceivingThread() {
		List<String> handled = new CopyOnWriteArrayList<>();
		List<Thread> threads = new CopyOnWriteArrayList<>();
		ContainerChannelSubscription subscription = ChannelSubscription.subscribe(this.container, "deliveries",
				(message) -> {
					threads.add(Thread.currentThread());
					handled.add(message);
				});
		List<String> sent = IntStream.range(0, 2000).mapToObj(String::valueOf).toList();
		sent.forEach((message) -> subscription.onMessage(message("deliveries", message), null));
		await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == sent.size());
		assertThat(handled).containsExactlyElementsOf(sent);
		assertThat(threads).doesNotContain(Thread.currentThread());
	}

	@Test
	void aSlowHandlerHoldsUpOnlyItsOwnChannel() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ContainerChannelSubscription presence = ChannelSubscription.subscribe(this.container, "presence", (message) -> {
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		List<String> delivered = new CopyOnWriteArrayList<>();
		ContainerChannelSubscription deliveries = ChannelSubscription.subscribe(this.container, "deliveries",
				delivered::add);
		presence.onMessage(message("presence", "slow"), null);
		deliveries.onMessage(message("deliveries", "state"), null);
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("state"));
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void anUndecodableMessageIsDroppedAndTheNextOneHandled() {
		List<String> handled = new CopyOnWriteArrayList<>();
		ContainerChannelSubscription subscription = ChannelSubscription.subscribe(this.container, "revocations",
				(message) -> {
					if (message.equals("bad")) {
						throw new IllegalArgumentException("undecodable");
					}
					handled.add(message);
				});
		subscription.onMessage(message("revocations", "bad"), null);
		subscription.onMessage(message("revocations", "good"), null);
		await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains("good"));
		assertThat(handled).containsExactly("good");
	}

	@Test
	void anAtOnceHandlerHandlesAMessageOnTheReceivingThreadWhenNothingIsQueued() {
		List<String> atOnce = new CopyOnWriteArrayList<>();
		List<String> queued = new CopyOnWriteArrayList<>();
		ContainerChannelSubscription subscription = ChannelSubscription.subscribe(this.container, "deliveries",
				queued::add, (message) -> {
					atOnce.add(message);
					return null;
				});
		subscription.onMessage(message("deliveries", "first"), null);
		subscription.onMessage(message("deliveries", "second"), null);
		assertThat(atOnce).as("handled before onMessage returned").containsExactly("first", "second");
		assertThat(queued).isEmpty();
	}

	@Test
	void whatAnAtOnceHandlerLeavesRunsOnAReceiverBeforeTheLaterMessagesInArrivalOrder() throws Exception {
		List<String> handled = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		ContainerChannelSubscription subscription = ChannelSubscription.subscribe(this.container, "deliveries",
				(message) -> handled.add("queued " + message), (message) -> {
					if (!message.equals("0")) {
						handled.add("at once " + message);
						return null;
					}
					return () -> {
						try {
							release.await(10, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
						handled.add("rest of 0");
					};
				});
		List<String> sent = IntStream.range(0, 500).mapToObj(String::valueOf).toList();
		sent.forEach((message) -> subscription.onMessage(message("deliveries", message), null));
		release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == sent.size());
		// Everything after the first waited for its rest; whatever arrived once the
		// queue emptied again was handled at once, in order all the same.
		assertThat(handled.get(0)).isEqualTo("rest of 0");
		assertThat(handled.subList(1, handled.size()))
			.extracting((entry) -> entry.substring(entry.lastIndexOf(' ') + 1))
			.containsExactlyElementsOf(sent.subList(1, sent.size()));
		assertThat(handled.get(1)).isEqualTo("queued 1");
	}

	@Test
	void aMessageTheAtOnceHandlerCannotDecodeIsDroppedAndTheNextOneHandled() {
		List<String> handled = new CopyOnWriteArrayList<>();
		ContainerChannelSubscription subscription = ChannelSubscription.subscribe(this.container, "deliveries",
				handled::add, (message) -> {
					if (message.equals("bad")) {
						throw new IllegalArgumentException("undecodable");
					}
					handled.add(message);
					return null;
				});
		subscription.onMessage(message("deliveries", "bad"), null);
		subscription.onMessage(message("deliveries", "good"), null);
		assertThat(handled).containsExactly("good");
	}

	private static DefaultMessage message(String channel, String body) {
		return new DefaultMessage(channel.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
	}

}
