package io.livesession.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.event.RevocationReason;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.metrics.LiveMetrics;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.revocation.ConnectionBindings;
import io.livesession.revocation.LocalRevocations;
import io.livesession.revocation.Revocation;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import io.livesession.test.RedisTestConnections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisRevocationChannel} on a private Redis: two channels stand for two
 * instances, each with its own connections.
 */
class RedisRevocationChannelTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	final TestListenerContainers containers = new TestListenerContainers();

	LettuceConnectionFactory connectionFactory;

	final String channelName = "test-" + UUID.randomUUID() + ":revocations";

	Instance one;

	Instance two;

	@BeforeEach
	void startInstances() {
		this.connectionFactory = redis.connectionFactory();
		this.one = new Instance();
		this.two = new Instance();
	}

	@AfterEach
	void stopInstances() throws Exception {
		this.one.channel.destroy();
		this.two.channel.destroy();
		this.containers.destroyAll();
	}

	@Test
	void aRevocationClosesTheMatchingConnectionsOfEveryInstanceOnce() {
		this.one.open("alice-1", "alice");
		this.one.open("bob-1", "bob");
		this.two.open("alice-2", "alice");
		this.two.open("bob-2", "bob");
		this.one.channel.publish(new Revocation(Revocation.Kind.USER, "alice", RevocationReason.APPLICATION));
		assertThat(this.one.closes).as("applied here at once").containsExactly("alice-1 1008 revoked");
		this.two.awaitCloses(1);
		assertThat(this.two.closes).containsExactly("alice-2 1008 revoked");
		assertThat(this.two.events).singleElement()
			.satisfies((event) -> assertThat(event.getReason()).isEqualTo(RevocationReason.APPLICATION));
		// Each instance closes and reports its own connections, once.
		this.two.channel.publish(new Revocation(Revocation.Kind.USER, "bob", RevocationReason.LOGOUT));
		this.one.awaitCloses(2);
		assertThat(this.one.events).hasSize(2);
		assertThat(this.two.events).hasSize(2);
		assertThat(this.one.closes).containsExactly("alice-1 1008 revoked", "bob-1 1008 revoked");
	}

	@Test
	void theSparedUserTravelsWithTheRevocation() {
		this.two.open("dave-2", "dave");
		this.two.open("erin-2", "erin");
		this.one.channel.publish(new Revocation(Revocation.Kind.USER, "dave", RevocationReason.LOGIN, "dave"));
		this.one.channel.publish(new Revocation(Revocation.Kind.USER, "erin", RevocationReason.LOGIN, "dave"));
		this.two.awaitCloses(1);
		assertThat(this.two.closes).containsExactly("erin-2 1008 revoked");
	}

	@Test
	void anUndecodableMessageIsDroppedAndLaterRevocationsStillArrive() {
		this.two.open("carol-2", "carol");
		StringRedisTemplate template = new StringRedisTemplate(this.connectionFactory);
		template.convertAndSend(this.channelName, "not json");
		template.convertAndSend(this.channelName, "{\"o\":\"x\",\"k\":\"NOPE\",\"id\":\"carol\",\"r\":\"LOGOUT\"}");
		this.one.channel.publish(new Revocation(Revocation.Kind.USER, "carol", RevocationReason.LOGOUT));
		this.two.awaitCloses(1);
		assertThat(this.two.closes).containsExactly("carol-2 1008 revoked");
	}

	/**
	 * One instance: its registry, bindings and channel.
	 */
	final class Instance {

		final ConnectionRegistry registry = ConnectionRegistries.inMemory();

		final ConnectionBindings bindings = new ConnectionBindings();

		final List<String> closes = new CopyOnWriteArrayList<>();

		final List<LiveConnectionRevokedEvent> events = new CopyOnWriteArrayList<>();

		final RedisRevocationChannel channel;

		Instance() {
			LocalRevocations local = new LocalRevocations(this.registry, this.bindings,
					(event) -> this.events.add((LiveConnectionRevokedEvent) event), LiveMetrics.NONE);
			RedisRevocationChannelTests tests = RedisRevocationChannelTests.this;
			// A container of its own, as another instance has.
			RedisMessageListenerContainer listeners = tests.containers.create(tests.connectionFactory);
			this.channel = new RedisRevocationChannel(tests.connectionFactory, listeners, local, tests.channelName,
					UUID.randomUUID().toString());
			listeners.start();
		}

		void open(String id, String userId) {
			TransportSession transport = new TransportSession() {

				private volatile boolean open = true;

				@Override
				public void send(Frame frame) {
				}

				@Override
				public void close(int code, String reason) {
					Instance.this.closes.add(id + " " + code + " " + reason);
					this.open = false;
				}

				@Override
				public boolean isOpen() {
					return this.open;
				}

			};
			ManagedConnection connection = Delivery.connection(
					new ConnectionInfo(id, userId, "user:" + userId, () -> userId, Set.of(), null, Instant.now()),
					transport, Runnable::run, 1024);
			this.registry.register(connection);
			connection.open(Frame.text("{}"), 0);
			this.bindings.bind(connection, "browser-" + id, null);
		}

		void awaitCloses(int count) {
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (this.closes.size() < count && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			assertThat(this.closes).hasSizeGreaterThanOrEqualTo(count);
		}

	}

}
