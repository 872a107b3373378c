package io.livesession.metrics;

/**
 * What delivery reports about its connections, as it happens. The methods are called on
 * hot paths (every queued and every written frame) and must not block; the defaults do
 * nothing. {@link #NONE} is used when no metrics are configured, and
 * {@link MicrometerLiveMetrics} records them in Micrometer.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface LiveMetrics {

	/** Reason of an eviction: the connection's outbound buffer limit was exceeded. */
	String SEND_BUFFER_SIZE_LIMIT = "send-buffer-size-limit";

	/** Reason of an eviction: one write took longer than the send time limit. */
	String SEND_TIME_LIMIT = "send-time-limit";

	/** Reason of a dropped frame: a later full state replaced it before it was sent. */
	String COALESCED = "coalesced";

	/** Reason of a dropped frame: the client already had that state version. */
	String STALE = "stale";

	/** Reason of a dropped frame: its connection closed before it was sent. */
	String CLOSED = "closed";

	/** A limit refused: connections of one user. */
	String LIMIT_USER = "user";

	/** A limit refused: connections of one anonymous browser. */
	String LIMIT_BROWSER = "browser";

	/** A limit refused: connections from one remote address. */
	String LIMIT_ADDRESS = "address";

	/** A limit refused: connections of this instance. */
	String LIMIT_INSTANCE = "instance";

	/** A limit refused: new anonymous groups from one remote address per minute. */
	String LIMIT_NEW_GROUPS = "new-groups";

	/** A limit refused: a change that would make a group's state too large. */
	String LIMIT_GROUP_SIZE = "group-size";

	/**
	 * A limit refused: a {@code sync} whose state costs more than the rate limit left.
	 */
	String LIMIT_SYNC_BYTES = "sync-bytes";

	/** Metrics that record nothing. */
	LiveMetrics NONE = new LiveMetrics() {
	};

	/**
	 * A frame was queued for a connection.
	 * @param queuedBytes the bytes queued for that connection afterwards
	 */
	default void frameQueued(long queuedBytes) {
	}

	/**
	 * A frame was written to a connection.
	 */
	default void frameSent() {
	}

	/**
	 * Frames for a connection were discarded without being written.
	 * @param reason {@link #COALESCED}, {@link #STALE} or {@link #CLOSED}
	 * @param count how many
	 */
	default void framesDropped(String reason, int count) {
	}

	/**
	 * A write to a connection failed; the connection is closed with 1011.
	 */
	default void sendFailed() {
	}

	/**
	 * A connection that could not keep up was closed with 4008.
	 * @param reason {@link #SEND_BUFFER_SIZE_LIMIT} or {@link #SEND_TIME_LIMIT}
	 */
	default void evicted(String reason) {
	}

	/**
	 * A connection was revoked, once per connection: reported where revocations are
	 * applied, since the close code cannot tell (the rate limit closes with 1008 too).
	 * @since 0.1.0
	 */
	default void revoked() {
	}

	/**
	 * A limit refused a handshake, an action or a frame.
	 * @param limit one of the {@code LIMIT_} constants
	 * @since 0.1.0
	 */
	default void refused(String limit) {
	}

}
