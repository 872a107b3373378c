package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.delivery.LocalDelivery;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupUpdate;
import io.livesession.test.RedisTestConnections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * Tests for how the {@code state} frames of commits reach the connections of the
 * committing instance and of the others, against a private Redis: once each, in commit
 * order, and the committing instance's own by the time the commit returns.
 */
class RedisGroupStateDeliveryTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final RedisConnectionFactory connectionFactory = redis.connectionFactory();

	private final TestListenerContainers containers = new TestListenerContainers();

	private final List<RedisDeliveryChannel> channels = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (RedisDeliveryChannel channel : this.channels) {
			channel.destroy();
		}
		this.containers.destroyAll();
	}

	@Test
	void anInstanceHasDeliveredItsOwnCommitWhenTheUpdateReturnsAndEachVersionOnceInOrder() {
		Instance a = new Instance("a");
		a.increment();
		await().atMost(Duration.ofSeconds(10)).until(() -> a.delivered.size() == 1);
		for (int i = 2; i <= 20; i++) {
			a.increment();
			// By the committing thread, or by the subscription if it was first.
			assertThat(a.delivered).as("delivered when the update returned").hasSize(i);
		}
		long received = 20 + a.probes;
		await().atMost(Duration.ofSeconds(10)).until(() -> a.channel.getReceivedCount() >= received);
		assertThat(a.delivered).as("each version once, in commit order").containsExactlyElementsOf(versions(20));
	}

	@Test
	void twoInstancesCommittingOneGroupInTurnEachDeliverEveryVersionOnceAndInOrder() {
		Instance a = new Instance("a");
		Instance b = new Instance("b");
		for (int i = 1; i <= 30; i++) {
			// Runs of one instance, then of the other: shortcuts and frames from the
			// other instance interleave.
			((i / 3) % 2 == 0 ? a : b).increment();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> a.delivered.size() >= 30 && b.delivered.size() >= 30);
		assertThat(a.delivered).containsExactlyElementsOf(versions(30));
		assertThat(b.delivered).containsExactlyElementsOf(versions(30));
	}

	private static List<Long> versions(int count) {
		return java.util.stream.LongStream.rangeClosed(1, count).boxed().toList();
	}

	/** One instance: its delivery channel, its group store, and what it delivered. */
	private final class Instance {

		private final List<Long> delivered = new CopyOnWriteArrayList<>();

		private final RedisDeliveryChannel channel;

		private final GroupStore store;

		private final int probes;

		Instance(String id) {
			LocalDelivery local = mock(LocalDelivery.class);
			willAnswer((invocation) -> {
				Frame frame = invocation.getArgument(1);
				if (frame.isState()) {
					this.delivered.add(frame.getStateVersion());
				}
				return 1;
			}).given(local).deliver(any(), any());
			// Delivered at once to every connection of a small group, as idle ones are.
			willAnswer((invocation) -> {
				Frame frame = invocation.getArgument(1);
				if (frame.isState()) {
					this.delivered.add(frame.getStateVersion());
				}
				return List.of();
			}).given(local).deliverIfIdle(any(), any(), anyInt());
			RedisConnectionFactory factory = RedisGroupStateDeliveryTests.this.connectionFactory;
			String prefix = RedisGroupStateDeliveryTests.this.prefix;
			this.channel = new RedisDeliveryChannel(factory,
					RedisGroupStateDeliveryTests.this.containers.start(factory), local, prefix + "deliveries", id,
					Set::of, (groupId) -> Frame.state("{}", 0), 64);
			RedisGroupStateDeliveryTests.this.channels.add(this.channel);
			this.store = RedisGroupStores.create(factory, prefix, Duration.ofMinutes(5), 10, this.channel);
			// Subscribed once the channel hears its own broadcasts.
			int[] sent = new int[1];
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
				sent[0]++;
				this.channel.publish(BroadcastTarget.all(), Frame.text("probe"));
				return this.channel.getReceivedCount() > 0;
			});
			this.probes = sent[0];
		}

		void increment() {
			this.store.update("g", (current) -> {
				long count = Long.parseLong(current.attributes().getOrDefault("count", "0")) + 1;
				return new GroupUpdate<>(
						Map.of("count", Long.toString(count)), true, null, (committed) -> Frame
							.state("{\"type\":\"state\",\"version\":" + committed.version() + "}", committed.version()),
						(committed) -> {
						});
			});
		}

	}

}
