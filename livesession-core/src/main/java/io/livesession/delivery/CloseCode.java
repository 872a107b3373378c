package io.livesession.delivery;

import io.livesession.LiveConnection;

/**
 * Every close the server starts, with the WebSocket close code and the reason text it
 * sends: the one place where they are defined. The codes are part of the protocol
 * (docs/protocol.md, "Close codes"): clients act on them (reconnect after 1001, stop
 * after 1008 {@code revoked}), so a constant's code and reason must never change. Several
 * constants share a code and differ in the reason, which is for people reading logs.
 *
 * @author livesession
 * @since 0.1.0
 */
public enum CloseCode {

	/** The application stops and drains its connections; the client reconnects. */
	SHUTDOWN(1001, "server shutting down"),

	/** The send executor is shut down: the application is stopping. */
	SEND_EXECUTOR_SHUT_DOWN(1001, "shutting down"),

	/** The peer answered no heartbeat ping in time. */
	HEARTBEAT_TIMEOUT(1001, "heartbeat timeout"),

	/** The client sent a binary frame. */
	BINARY_FRAME(1003, "binary frames are not accepted"),

	/**
	 * The connection was revoked: logout, the end of its HTTP session, a login, expired
	 * credentials or the application. The client does not reconnect.
	 */
	REVOKED(1008, "revoked"),

	/** The client kept sending over its rate limit. */
	RATE_LIMITED(1008, "rate_limited"),

	/** An inbound text frame exceeded the size limit. */
	FRAME_TOO_LARGE(1009, "frame too large"),

	/** The group store did not answer when the connection opened. */
	GROUP_STORE_UNAVAILABLE(1011, "group store unavailable"),

	/** A write to the connection failed. */
	SEND_FAILED(1011, "send failed"),

	/** During an orderly close, one write took longer than the send time limit. */
	CLOSING_SEND_TIME_LIMIT(1011, "send time limit exceeded"),

	/** An orderly close could not send what was queued within its grace period. */
	CLOSE_GRACE_PERIOD_EXCEEDED(1011, "close grace period exceeded"),

	/** The container reported a transport error. */
	TRANSPORT_ERROR(1011, "transport error"),

	/** Evicted: the connection's outbound buffer exceeded its limit. */
	SEND_BUFFER_LIMIT_EXCEEDED(4008, "send buffer limit exceeded"),

	/** Evicted: one write took longer than the send time limit. */
	SEND_TIME_LIMIT_EXCEEDED(4008, "send time limit exceeded");

	private final int code;

	private final String reason;

	CloseCode(int code, String reason) {
		this.code = code;
		this.reason = reason;
	}

	/**
	 * The WebSocket close code.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The reason text of the close frame.
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * Close a connection with this code and reason.
	 * @param connection the connection
	 */
	public void close(LiveConnection connection) {
		connection.close(this.code, this.reason);
	}

}
