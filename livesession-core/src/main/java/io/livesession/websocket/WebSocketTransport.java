package io.livesession.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;

import io.livesession.Frame;
import io.livesession.delivery.TransportSession;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A spring-websocket session as a {@link TransportSession}, writing through the Jakarta
 * WebSocket {@code RemoteEndpoint.Async} (Tomcat and Jetty both offer it;
 * spring-websocket upgrades through it on both), so that no thread waits while a peer
 * does not read. Sessions of other kinds are written with spring-websocket's blocking
 * {@code sendMessage}.
 *
 * <p>
 * The blocking writes left are pings and close frames, which the Jakarta API has no
 * asynchronous form for, and the pongs Tomcat writes itself. On Tomcat they give up after
 * the session's {@code org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT}, set to the
 * short {@link ContainerTimeouts#controlFrameTimeout() control frame timeout}: Tomcat
 * answers each inbound ping with a blocking {@code sendPong} on the container thread that
 * read it, so without it a client that floods pings and never reads would hold a worker
 * thread for 20 s, and a few hundred such clients all of them. On Jetty a close on a peer
 * that does not read ends when the session's idle timeout, lowered to the same bound
 * before closing, expires. Asynchronous writes get twice the send time limit as the
 * container's own timeout: a backstop behind livesession's limit.
 *
 * <p>
 * Tomcat waits for the rest of a frame as long as the client likes, even a frame whose
 * header announced 2^40 bytes; {@code org.apache.tomcat.websocket.READ_IDLE_TIMEOUT_MS}
 * closes a connection without any inbound byte for the
 * {@link ContainerTimeouts#readIdleTimeout() read idle timeout}.
 *
 * @author livesession
 */
final class WebSocketTransport implements TransportSession {

	/** Tomcat's per-session blocking send timeout, in milliseconds. */
	static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** Tomcat's per-session read idle timeout, in milliseconds. */
	static final String READ_IDLE_TIMEOUT = "org.apache.tomcat.websocket.READ_IDLE_TIMEOUT_MS";

	/** How long a close frame or a ping may wait for its socket, at most. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	private static final ByteBuffer PING = ByteBuffer.allocate(0);

	private static final boolean jakartaWebSocketPresent = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketTransport.class.getClassLoader());

	private final WebSocketSession session;

	private final @Nullable Object standard;

	private final ContainerTimeouts timeouts;

	WebSocketTransport(WebSocketSession session) {
		this(session, null, null, ContainerTimeouts.NONE);
	}

	/**
	 * A transport for the session.
	 * @param session the session
	 * @param sendTimeLimit livesession's send time limit, or {@code null} for none
	 * @param idleTimeout the container's idle timeout for the session, or {@code null} to
	 * keep the container's default
	 * @param timeouts what the container's own threads may spend on the session
	 */
	WebSocketTransport(WebSocketSession session, @Nullable Duration sendTimeLimit, @Nullable Duration idleTimeout,
			ContainerTimeouts timeouts) {
		this.session = session;
		this.timeouts = timeouts;
		this.standard = jakartaWebSocketPresent ? Jakarta.session(session) : null;
		if (this.standard != null) {
			Jakarta.configure(this.standard, sendTimeLimit, idleTimeout, timeouts);
		}
	}

	@Override
	public void send(Frame frame, SendCallback callback) {
		if (this.standard != null) {
			Jakarta.send(this.standard, frame, callback);
			return;
		}
		TransportSession.super.send(frame, callback);
	}

	@Override
	public void send(Frame frame) throws IOException {
		this.session
			.sendMessage(frame.isText() ? new TextMessage(frame.getText()) : new BinaryMessage(frame.getPayload()));
	}

	@Override
	public boolean ping() {
		try {
			this.session.sendMessage(new PingMessage(PING.duplicate()));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			// The heartbeat's timeout closes a peer that never answers.
			return false;
		}
	}

	@Override
	public void expediteClose() {
		if (this.standard != null) {
			Duration control = this.timeouts.controlFrameTimeout();
			Jakarta.expediteClose(this.standard, (control.compareTo(CLOSE_TIMEOUT) < 0) ? control : CLOSE_TIMEOUT);
		}
	}

	@Override
	public void close(int code, String reason) {
		try {
			this.session.close(new CloseStatus(code, reason));
		}
		catch (IOException | RuntimeException ex) {
			// Already closing or gone: nothing left to do.
		}
	}

	@Override
	public boolean isOpen() {
		return this.session.isOpen();
	}

	/**
	 * The Jakarta WebSocket parts, apart so that the transport loads without them.
	 */
	private static final class Jakarta {

		static jakarta.websocket.@Nullable Session session(WebSocketSession session) {
			if (session instanceof NativeWebSocketSession nativeSession) {
				Object target = nativeSession.getNativeSession();
				if (target instanceof jakarta.websocket.Session standard) {
					return standard;
				}
			}
			return null;
		}

		static void configure(Object target, @Nullable Duration sendTimeLimit, @Nullable Duration idleTimeout,
				ContainerTimeouts timeouts) {
			jakarta.websocket.Session session = (jakarta.websocket.Session) target;
			Map<String, Object> properties = session.getUserProperties();
			properties.put(BLOCKING_SEND_TIMEOUT, timeouts.controlFrameTimeout().toMillis());
			if (!timeouts.readIdleTimeout().isZero() && !timeouts.readIdleTimeout().isNegative()) {
				properties.put(READ_IDLE_TIMEOUT, timeouts.readIdleTimeout().toMillis());
			}
			if (sendTimeLimit != null) {
				session.getAsyncRemote().setSendTimeout(sendTimeLimit.multipliedBy(2).toMillis());
			}
			if (idleTimeout != null) {
				session.setMaxIdleTimeout(idleTimeout.toMillis());
			}
		}

		static void send(Object target, Frame frame, SendCallback callback) {
			jakarta.websocket.Session session = (jakarta.websocket.Session) target;
			try {
				jakarta.websocket.RemoteEndpoint.Async remote = session.getAsyncRemote();
				jakarta.websocket.SendHandler handler = (result) -> callback
					.completed(result.isOK() ? null : result.getException());
				if (frame.isText()) {
					remote.sendText(frame.getText(), handler);
				}
				else {
					// A read-only view of the frame's bytes: shared, not copied, by every
					// recipient of a broadcast.
					remote.sendBinary(frame.getPayload(), handler);
				}
			}
			catch (RuntimeException ex) {
				// Closed meanwhile, or the container refused the write.
				callback.completed(ex);
			}
		}

		static void expediteClose(Object target, Duration timeout) {
			jakarta.websocket.Session session = (jakarta.websocket.Session) target;
			try {
				session.getUserProperties().put(BLOCKING_SEND_TIMEOUT, timeout.toMillis());
				session.setMaxIdleTimeout(timeout.toMillis());
			}
			catch (RuntimeException ex) {
				// Already closed.
			}
		}

	}

	/**
	 * What the container's threads may spend on one connection.
	 *
	 * @param controlFrameTimeout how long one blocking send of the container (a pong, a
	 * ping, a close frame) may take
	 * @param readIdleTimeout how long a connection may go without an inbound byte, zero
	 * for no limit
	 */
	record ContainerTimeouts(Duration controlFrameTimeout, Duration readIdleTimeout) {

		/** The defaults of the {@code livesession.limits.*} properties. */
		static final ContainerTimeouts DEFAULTS = new ContainerTimeouts(Duration.ofMillis(250), Duration.ofMinutes(10));

		/** Tomcat's own behaviour, for a transport without a send time limit. */
		static final ContainerTimeouts NONE = new ContainerTimeouts(Duration.ofSeconds(20), Duration.ZERO);

	}

}
