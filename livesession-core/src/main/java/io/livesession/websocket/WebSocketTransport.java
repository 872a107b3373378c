package io.livesession.websocket;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.livesession.Frame;
import io.livesession.delivery.TransportSession;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A spring-websocket session as a {@link TransportSession}.
 *
 * <p>
 * On Tomcat, every blocking send gives up after the session's
 * {@code org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT} (20 s by default). Tomcat
 * answers each inbound ping with a blocking {@code sendPong} on the container thread that
 * read it, so a client that floods pings and never reads holds one of the container's
 * worker threads for that long once its socket buffers are full; a few hundred such
 * clients hold all of them, and pages stop being served. So the timeout is set to the
 * short {@link ContainerTimeouts#controlFrameTimeout() control frame timeout}: a pong (or
 * a close frame) that cannot be written within it fails, and Tomcat closes that
 * connection and frees the thread. livesession's own frames must not fail that quickly
 * for a slow but reading client: on a Jakarta WebSocket container they are sent with the
 * asynchronous remote endpoint, which never blocks a container thread, and this send
 * thread waits for the result, until the {@code SendPool}'s send time limit interrupts it
 * or, as a backstop, twice that limit. Other containers send through spring-websocket.
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

	/** How long a close frame may wait for its socket, at most. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	/** The backstop of a send when no send time limit is given: Tomcat's default. */
	static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(20);

	private static final boolean jakartaWebSocketPresent = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketTransport.class.getClassLoader());

	private final WebSocketSession session;

	private final Duration sendTimeout;

	private final ContainerTimeouts timeouts;

	WebSocketTransport(WebSocketSession session) {
		this.session = session;
		this.sendTimeout = DEFAULT_SEND_TIMEOUT;
		this.timeouts = ContainerTimeouts.NONE;
	}

	WebSocketTransport(WebSocketSession session, Duration sendTimeLimit) {
		this(session, sendTimeLimit, ContainerTimeouts.DEFAULTS);
	}

	WebSocketTransport(WebSocketSession session, Duration sendTimeLimit, ContainerTimeouts timeouts) {
		this.session = session;
		this.sendTimeout = sendTimeLimit.multipliedBy(2);
		this.timeouts = timeouts;
		Map<String, Object> properties = userProperties();
		if (properties != null) {
			properties.put(BLOCKING_SEND_TIMEOUT, timeouts.controlFrameTimeout().toMillis());
			if (!timeouts.readIdleTimeout().isZero() && !timeouts.readIdleTimeout().isNegative()) {
				properties.put(READ_IDLE_TIMEOUT, timeouts.readIdleTimeout().toMillis());
			}
		}
	}

	@Override
	public void send(Frame frame) throws IOException {
		jakarta.websocket.Session standard = (this.timeouts != ContainerTimeouts.NONE) ? standardSession() : null;
		if (standard == null) {
			this.session
				.sendMessage(frame.isText() ? new TextMessage(frame.getText()) : new BinaryMessage(frame.getPayload()));
			return;
		}
		Future<Void> sent = frame.isText() ? standard.getAsyncRemote().sendText(frame.getText())
				: standard.getAsyncRemote().sendBinary(frame.getPayload());
		try {
			sent.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			// The send time limit's eviction: the connection is being closed.
			throw new InterruptedIOException("Send interrupted");
		}
		catch (ExecutionException ex) {
			throw new IOException("Send failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IOException("Send timed out after " + this.sendTimeout);
		}
	}

	@Override
	public void expediteClose() {
		Map<String, Object> properties = userProperties();
		if (properties != null) {
			Duration control = this.timeouts.controlFrameTimeout();
			properties.put(BLOCKING_SEND_TIMEOUT,
					((control.compareTo(CLOSE_TIMEOUT) < 0) ? control : CLOSE_TIMEOUT).toMillis());
		}
	}

	private jakarta.websocket.@Nullable Session standardSession() {
		if (jakartaWebSocketPresent && this.session instanceof NativeWebSocketSession nativeSession) {
			Object target = nativeSession.getNativeSession();
			if (target instanceof jakarta.websocket.Session standard) {
				return standard;
			}
		}
		return null;
	}

	private @Nullable Map<String, Object> userProperties() {
		jakarta.websocket.Session standard = standardSession();
		return (standard != null) ? standard.getUserProperties() : null;
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
	 * What the container's threads may spend on one connection.
	 *
	 * @param controlFrameTimeout how long one blocking send of the container (a pong, a
	 * close frame) may take
	 * @param readIdleTimeout how long a connection may go without an inbound byte, zero
	 * for no limit
	 */
	record ContainerTimeouts(Duration controlFrameTimeout, Duration readIdleTimeout) {

		/** The defaults of the {@code livesession.limits.*} properties. */
		static final ContainerTimeouts DEFAULTS = new ContainerTimeouts(Duration.ofMillis(250), Duration.ofMinutes(10));

		/** Tomcat's own behaviour, for a transport without a send time limit. */
		static final ContainerTimeouts NONE = new ContainerTimeouts(DEFAULT_SEND_TIMEOUT, Duration.ZERO);

	}

}
