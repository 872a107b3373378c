package io.livesession.benchmarks.jmh;

import java.time.Instant;
import java.util.Set;

import io.livesession.Frame;
import io.livesession.delivery.ConnectionBase;
import io.livesession.delivery.ConnectionInfo;
import org.jspecify.annotations.Nullable;

/**
 * A connection that only counts what it is sent, so the microbenchmarks measure
 * livesession's lookup and matching, not a network.
 *
 * @author livesession
 */
final class StubConnection extends ConnectionBase {

	long sent;

	StubConnection(String id, @Nullable String userId, String groupId) {
		super(new ConnectionInfo(id, userId, groupId, null, Set.of(), null, Instant.EPOCH));
	}

	@Override
	public boolean isOpen() {
		return true;
	}

	@Override
	public boolean send(Frame frame) {
		this.sent++;
		return true;
	}

	@Override
	public void close(int code, String reason) {
	}

}
