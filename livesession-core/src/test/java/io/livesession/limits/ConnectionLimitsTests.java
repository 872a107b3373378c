package io.livesession.limits;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.livesession.metrics.LiveMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counting of {@link ConnectionLimits}, with a clock of its own.
 */
class ConnectionLimitsTests {

	private static final InetSocketAddress HOST = new InetSocketAddress("192.0.2.1", 40000);

	private final AtomicLong now = new AtomicLong();

	@Test
	void aReleasedPermitFreesItsPlaceOnceOnly() {
		ConnectionLimits limits = limits(new ConnectionLimits.Settings(0, 1, 0, 0, 0));
		ConnectionLimits.Permit permit = limits.admit(null, "a", HOST).permit();
		assertThat(permit).isNotNull();
		assertThat(limits.admit(null, "a", HOST).refusal()).isNotNull();
		permit.release();
		permit.release();
		assertThat(limits.getConnectionCount()).isZero();
		ConnectionLimits.Permit again = limits.admit(null, "a", HOST).permit();
		assertThat(again).isNotNull();
		// Released twice, counted down once: the browser's one place is taken again.
		assertThat(limits.admit(null, "a", HOST).refusal()).isNotNull();
		// Each browser has a place of its own.
		assertThat(limits.admit(null, "b", HOST).permit()).isNotNull();
	}

	@Test
	void theInstanceLimitRefusesWith503AndTheOthersWith429() {
		ConnectionLimits limits = limits(new ConnectionLimits.Settings(1, 0, 0, 2, 0));
		limits.admit("alice", "a", HOST);
		ConnectionLimits.Refusal user = limits.admit("alice", "a", HOST).refusal();
		assertThat(user).isNotNull();
		assertThat(user.status()).isEqualTo(429);
		assertThat(user.limit()).isEqualTo(LiveMetrics.LIMIT_USER);
		limits.admit("bob", "b", HOST);
		ConnectionLimits.Refusal instance = limits.admit("carol", "c", HOST).refusal();
		assertThat(instance).isNotNull();
		assertThat(instance.status()).isEqualTo(503);
		assertThat(instance.limit()).isEqualTo(LiveMetrics.LIMIT_INSTANCE);
		assertThat(instance.retryAfterSeconds()).isPositive();
		assertThat(limits.getConnectionCount()).isEqualTo(2);
	}

	@Test
	void ipv6AddressesCountByTheirSlash64() {
		ConnectionLimits limits = limits(new ConnectionLimits.Settings(0, 0, 1, 0, 0));
		assertThat(limits.admit(null, "a", new InetSocketAddress("2001:db8:1:2::1", 1)).permit()).isNotNull();
		ConnectionLimits.Refusal sameHost = limits.admit(null, "b", new InetSocketAddress("2001:db8:1:2:ffff::9", 1))
			.refusal();
		assertThat(sameHost).isNotNull();
		assertThat(sameHost.limit()).isEqualTo(LiveMetrics.LIMIT_ADDRESS);
		assertThat(limits.admit(null, "c", new InetSocketAddress("2001:db8:1:3::1", 1)).permit()).isNotNull();
	}

	@Test
	void newGroupsRefillOverAMinuteAndSayWhenToRetry() {
		ConnectionLimits limits = limits(new ConnectionLimits.Settings(0, 0, 0, 0, 60));
		for (int i = 0; i < 60; i++) {
			assertThat(limits.newGroup(HOST)).isNull();
		}
		ConnectionLimits.Refusal refusal = limits.newGroup(HOST);
		assertThat(refusal).isNotNull();
		assertThat(refusal.status()).isEqualTo(429);
		assertThat(refusal.retryAfterSeconds()).isEqualTo(1);
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(limits.newGroup(HOST)).isNull();
		assertThat(limits.newGroup(HOST)).isNotNull();
		assertThat(limits.newGroup(new InetSocketAddress("192.0.2.2", 1))).isNull();
	}

	@Test
	void zeroTurnsEachLimitOff() {
		ConnectionLimits limits = limits(new ConnectionLimits.Settings(0, 0, 0, 0, 0));
		for (int i = 0; i < 1000; i++) {
			assertThat(limits.admit("alice", "a", HOST).permit()).isNotNull();
			assertThat(limits.newGroup(HOST)).isNull();
		}
	}

	private ConnectionLimits limits(ConnectionLimits.Settings settings) {
		return new ConnectionLimits(settings, LiveMetrics.NONE, this.now::get);
	}

}
