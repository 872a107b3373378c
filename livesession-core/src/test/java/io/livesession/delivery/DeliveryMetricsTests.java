package io.livesession.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.Presence;
import io.livesession.metrics.MicrometerLiveMetrics;
import io.livesession.registry.ConnectionRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MicrometerLiveMetrics} fed by real connections.
 */
class DeliveryMetricsTests {

	private static final Frame GREETING = Frame.text("{\"type\":\"hello\"}");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final MicrometerLiveMetrics metrics = new MicrometerLiveMetrics(this.meters, this.registry,
			ConnectionRegistries.localPresence(this.registry));

	private final SendPool pool = new SendPool(2, Duration.ofSeconds(30));

	@AfterEach
	void close() {
		this.pool.close();
	}

	@Test
	void everyMeterIsRegisteredAtZeroBeforeAnythingHappened() {
		assertThat(gauge("livesession.connections", "instance")).isZero();
		assertThat(gauge("livesession.groups", "instance")).isZero();
		assertThat(gauge("livesession.users", "instance")).isZero();
		assertThat(counter("livesession.frames.sent")).isZero();
		assertThat(this.meters.get("livesession.frames.dropped").counters()).hasSize(3);
		assertThat(counter("livesession.send.failures")).isZero();
		assertThat(this.meters.get("livesession.evictions").counters()).hasSize(2);
		assertThat(counter("livesession.revocations")).isZero();
		assertThat(this.meters.get("livesession.send.buffer").summary().count()).isZero();
		assertThat(this.meters.find("livesession.connections").tag("scope", "cluster").gauge()).isNull();
	}

	@Test
	void gaugesCountThisInstancesConnectionsGroupsAndUsers() {
		this.registry.register(connection("c1", "alice", "g1", new RecordingTransport()));
		this.registry.register(connection("c2", "alice", "g2", new RecordingTransport()));
		this.registry.register(connection("c3", null, "g2", new RecordingTransport()));
		assertThat(gauge("livesession.connections", "instance")).isEqualTo(3);
		assertThat(gauge("livesession.groups", "instance")).isEqualTo(2);
		assertThat(gauge("livesession.users", "instance")).isEqualTo(1);
	}

	@Test
	void clusterGaugesReadAClusterWidePresence() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new MicrometerLiveMetrics(meters, this.registry, new Presence() {

			@Override
			public boolean isClusterWide() {
				return true;
			}

			@Override
			public long getConnectionCount() {
				return 7;
			}

			@Override
			public long getUserCount() {
				return 2;
			}

			@Override
			public long getGroupCount() {
				return 3;
			}

			@Override
			public boolean isOnline(String userId) {
				return false;
			}

			@Override
			public Set<String> getOnlineUserIds() {
				return Set.of();
			}

		});
		assertThat(meters.get("livesession.connections").tag("scope", "cluster").gauge().value()).isEqualTo(7);
		assertThat(meters.get("livesession.groups").tag("scope", "cluster").gauge().value()).isEqualTo(3);
		assertThat(meters.get("livesession.users").tag("scope", "cluster").gauge().value()).isEqualTo(2);
		assertThat(meters.get("livesession.connections").tag("scope", "instance").gauge().value()).isZero();
	}

	@Test
	void countsFramesSentAndRecordsTheBufferDepth() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection("c1", null, "g", transport);
		connection.open(GREETING, 0);
		connection.send(Frame.text("12345"));
		connection.send(Frame.text("67890"));
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.frames.size() == 3);
		await().atMost(Duration.ofSeconds(5)).until(() -> counter("livesession.frames.sent") == 3);
		assertThat(this.meters.get("livesession.send.buffer").summary().count()).isEqualTo(2);
		assertThat(this.meters.get("livesession.send.buffer").summary().max()).isGreaterThanOrEqualTo(5);
	}

	@Test
	void countsCoalescedStaleAndClosedFramesAsDroppedAndNo1008CloseAsARevocation() throws Exception {
		RecordingTransport transport = new RecordingTransport().blocking();
		ManagedConnection connection = connection("c1", null, "g", transport);
		connection.open(GREETING, 3);
		transport.awaitSending();
		connection.send(change(2));
		connection.send(change(4));
		connection.send(change(5));
		connection.send(Frame.text("a"));
		assertThat(dropped("stale")).isOne();
		assertThat(dropped("coalesced")).isOne();
		connection.close(1008, "rate_limited");
		// An orderly close still sends what was queued before it.
		assertThat(dropped("closed")).isZero();
		// Revocations are counted where they are applied (LocalRevocations), never by
		// close code: the rate limit closes with 1008 too.
		assertThat(counter("livesession.revocations")).isZero();
		connection.released();
		assertThat(dropped("closed")).isEqualTo(2);
		transport.release();
	}

	@Test
	void countsAFailedWriteAsASendFailure() {
		RecordingTransport transport = new RecordingTransport().failingFrom(0);
		ManagedConnection connection = connection("c1", null, "g", transport);
		connection.open(GREETING, 0);
		await().atMost(Duration.ofSeconds(5)).until(() -> counter("livesession.send.failures") == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(1011));
		assertThat(transport.closeCodes).containsExactly(1011);
		assertThat(counter("livesession.revocations")).isZero();
	}

	@Test
	void countsAnEvictionWithItsReason() {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection("c1", null, "g", transport);
		connection.send(Frame.text("x".repeat(200)));
		assertThat(this.meters.get("livesession.evictions").tag("reason", "send-buffer-size-limit").counter().count())
			.isOne();
		assertThat(this.meters.get("livesession.evictions").tag("reason", "send-time-limit").counter().count())
			.isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.closeCodes.contains(4008));
	}

	private ManagedConnection connection(String id, String userId, String groupId, TransportSession transport) {
		ConnectionInfo info = new ConnectionInfo(id, userId, groupId, null, Set.of(), null, Instant.now());
		return Delivery.connection(info, transport, this.pool, 100, this.metrics, this.registry::unregister);
	}

	private static Frame change(long version) {
		return Frame.state("{}", version, () -> Frame.state("{\"full\":true}", version));
	}

	private double gauge(String name, String scope) {
		return this.meters.get(name).tag("scope", scope).gauge().value();
	}

	private double counter(String name) {
		return this.meters.get(name).counter().count();
	}

	private double dropped(String reason) {
		return this.meters.get("livesession.frames.dropped").tag("reason", reason).counter().count();
	}

}
