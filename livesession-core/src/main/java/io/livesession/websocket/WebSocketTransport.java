package io.livesession.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

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
 * On Tomcat, a blocking send gives up after the session's
 * {@code org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT} (20 s by default), and a
 * close frame waits that long for a stuck write to finish and for socket space. The
 * timeout is set to twice the send time limit, so that it is only a backstop behind
 * livesession's own limit, and lowered to {@link #CLOSE_TIMEOUT} just before closing, so
 * that the close gives up quickly on a peer that does not read. Other containers ignore
 * the property.
 *
 * @author livesession
 */
final class WebSocketTransport implements TransportSession {

	/** Tomcat's per-session blocking send timeout, in milliseconds. */
	static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** How long a close frame may wait for its socket. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	private static final boolean jakartaWebSocketPresent = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketTransport.class.getClassLoader());

	private final WebSocketSession session;

	WebSocketTransport(WebSocketSession session) {
		this.session = session;
	}

	WebSocketTransport(WebSocketSession session, Duration sendTimeLimit) {
		this.session = session;
		setBlockingSendTimeout(sendTimeLimit.multipliedBy(2));
	}

	@Override
	public void send(Frame frame) throws IOException {
		this.session
			.sendMessage(frame.isText() ? new TextMessage(frame.getText()) : new BinaryMessage(frame.getPayload()));
	}

	@Override
	public void expediteClose() {
		setBlockingSendTimeout(CLOSE_TIMEOUT);
	}

	private void setBlockingSendTimeout(Duration timeout) {
		Map<String, Object> properties = userProperties();
		if (properties != null) {
			properties.put(BLOCKING_SEND_TIMEOUT, timeout.toMillis());
		}
	}

	private @Nullable Map<String, Object> userProperties() {
		if (jakartaWebSocketPresent && this.session instanceof NativeWebSocketSession nativeSession) {
			Object target = nativeSession.getNativeSession();
			if (target instanceof jakarta.websocket.Session standard) {
				return standard.getUserProperties();
			}
		}
		return null;
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

}
