package io.livesession.topic;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.Frame;
import io.livesession.delivery.ConnectionBase;
import io.livesession.delivery.ConnectionInfo;
import org.jspecify.annotations.Nullable;

/**
 * A connection that records the frames it is sent, as the endpoint's connections do
 * topics: through {@link ConnectionBase}.
 */
class RecordingMember extends ConnectionBase {

	final List<Frame> frames = new CopyOnWriteArrayList<>();

	volatile boolean open = true;

	RecordingMember(String id, @Nullable String userId) {
		super(new ConnectionInfo(id, userId, "group:" + id, null, Set.of(), null, Instant.now()));
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public boolean send(Frame frame) {
		if (!this.open) {
			return false;
		}
		this.frames.add(frame);
		return true;
	}

	@Override
	public void close(int code, String reason) {
		this.open = false;
	}

	List<Long> offsets() {
		return this.frames.stream().map(Frame::getTopicOffset).toList();
	}

}
