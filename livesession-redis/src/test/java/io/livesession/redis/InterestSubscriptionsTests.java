package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link InterestSubscriptions}: subscribe on the first connection, wait for
 * Redis's confirmation, unsubscribe after the last one, never before a confirmation.
 */
class InterestSubscriptionsTests {

	private final RedisMessageListenerContainer container = mock(RedisMessageListenerContainer.class);

	private final ContainerChannelSubscription subscription = ChannelSubscription.create(this.container, "test",
			(message) -> {
			});

	private final InterestSubscriptions interests = new InterestSubscriptions(this.subscription,
			Duration.ofMillis(200));

	InterestSubscriptionsTests() {
		given(this.container.isListening()).willReturn(true);
	}

	private void confirmEverySubscribe() {
		willAnswer((invocation) -> {
			ChannelTopic topic = invocation.getArgument(1);
			this.subscription.onChannelSubscribed(topic.getTopic().getBytes(StandardCharsets.UTF_8), 1);
			return null;
		}).given(this.container).addMessageListener(any(MessageListener.class), any(ChannelTopic.class));
	}

	@Test
	void theFirstConnectionSubscribesAndTheLastOneToLeaveUnsubscribes() {
		confirmEverySubscribe();
		assertThat(this.interests.acquire(List.of("u"))).isTrue();
		assertThat(this.interests.acquire(List.of("u"))).isTrue();
		verify(this.container, times(1)).addMessageListener(this.subscription, new ChannelTopic("u"));
		this.interests.release(List.of("u"));
		verify(this.container, never()).removeMessageListener(eq(this.subscription), any(ChannelTopic.class));
		this.interests.release(List.of("u"));
		verify(this.container).removeMessageListener(this.subscription, new ChannelTopic("u"));
		assertThat(this.interests.size()).isZero();
	}

	@Test
	void aConnectionWaitsForTheConfirmationAtMostTheTimeout() {
		long start = System.nanoTime();
		assertThat(this.interests.acquire(List.of("u"))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aSecondConnectionWaitsForTheFirstOnesConfirmationToo() {
		assertThat(this.interests.acquire(List.of("u"))).isFalse();
		assertThat(this.interests.acquire(List.of("u"))).as("still unconfirmed").isFalse();
		this.subscription.onChannelSubscribed("u".getBytes(StandardCharsets.UTF_8), 1);
		assertThat(this.interests.acquire(List.of("u"))).isTrue();
	}

	@Test
	void anUnsubscribeWaitsForTheConfirmationOfItsSubscribe() {
		assertThat(this.interests.acquire(List.of("u"))).isFalse();
		this.interests.release(List.of("u"));
		verify(this.container, never()).removeMessageListener(eq(this.subscription), any(ChannelTopic.class));
		this.subscription.onChannelSubscribed("u".getBytes(StandardCharsets.UTF_8), 1);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> verify(this.container).removeMessageListener(this.subscription, new ChannelTopic("u")));
		assertThat(this.interests.size()).isZero();
	}

	@Test
	void aConnectionBackBeforeTheConfirmationKeepsTheSubscription() {
		assertThat(this.interests.acquire(List.of("u"))).isFalse();
		this.interests.release(List.of("u"));
		this.interests.acquire(List.of("u"));
		this.subscription.onChannelSubscribed("u".getBytes(StandardCharsets.UTF_8), 1);
		assertThat(this.interests.acquire(List.of("u"))).isTrue();
		verify(this.container, times(1)).addMessageListener(this.subscription, new ChannelTopic("u"));
		verify(this.container, never()).removeMessageListener(eq(this.subscription), any(ChannelTopic.class));
	}

	@Test
	void whileTheContainerIsDisconnectedNobodyWaits() {
		given(this.container.isListening()).willReturn(false);
		long start = System.nanoTime();
		assertThat(this.interests.acquire(List.of("u"))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
		verify(this.container).addMessageListener(this.subscription, new ChannelTopic("u"));
	}

}
