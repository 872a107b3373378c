package io.livesession.websocket;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

import io.livesession.ConnectRequest;
import io.livesession.event.LiveConnectionClosedEvent;
import io.livesession.event.LiveConnectionOpenedEvent;
import io.livesession.delivery.CloseCode;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.SendPool;
import io.livesession.endpoint.LiveEndpoint;
import io.livesession.metrics.LiveMetrics;
import io.livesession.revocation.ConnectionBindings;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Carries the live protocol over a raw WebSocket: text frames go to the
 * {@link LiveEndpoint}, a binary frame closes with 1003, a text frame over the size limit
 * with 1009 ({@code frame too large}), both with livesession's own reason. Binds each
 * open connection to its browser and HTTP session for revocation, and publishes its
 * opening and closing as application events.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveWebSocketHandler extends AbstractWebSocketHandler {

	private static final String CONNECTION_ATTRIBUTE = LiveWebSocketHandler.class.getName() + ".connection";

	private static final String PARTIAL_TEXT_ATTRIBUTE = LiveWebSocketHandler.class.getName() + ".partialText";

	private static final ApplicationEventPublisher NO_EVENTS = (event) -> {
	};

	private final LiveEndpoint endpoint;

	private final Executor sendExecutor;

	private final @Nullable SendPool sendPool;

	private final long sendBufferSizeLimit;

	private final int maxTextMessageSize;

	private final LiveMetrics metrics;

	private final ConnectionBindings bindings;

	private final ApplicationEventPublisher events;

	private final @Nullable Duration idleTimeout;

	private WebSocketTransport.ContainerTimeouts containerTimeouts = WebSocketTransport.ContainerTimeouts.DEFAULTS;

	/**
	 * A handler whose connections have a send buffer limit but no send time limit.
	 * @param endpoint the protocol endpoint
	 * @param sendExecutor runs the writes
	 * @param sendBufferSizeLimit bytes that may be queued for a connection
	 * @param maxTextMessageSize the largest inbound text frame
	 */
	public LiveWebSocketHandler(LiveEndpoint endpoint, Executor sendExecutor, long sendBufferSizeLimit,
			int maxTextMessageSize) {
		this(endpoint, sendExecutor, null, sendBufferSizeLimit, maxTextMessageSize, LiveMetrics.NONE,
				new ConnectionBindings(), NO_EVENTS, null);
	}

	/**
	 * A handler whose connections have a send buffer limit and the pool's send time
	 * limit, and the given idle timeout in the container; an evicted connection is
	 * unregistered at once.
	 * @param endpoint the protocol endpoint
	 * @param sendPool continues long drains and enforces the send time limit
	 * @param sendBufferSizeLimit bytes that may be queued for a connection
	 * @param maxTextMessageSize the largest inbound text frame
	 * @param metrics what delivery reports to
	 * @param bindings ties connections to their browser and HTTP session for revocation
	 * @param events where connection opening and closing are published
	 * @param idleTimeout how long the container keeps a silent connection open (set above
	 * the heartbeat interval), or {@code null} for the container's default
	 * @since 0.1.0
	 */
	public LiveWebSocketHandler(LiveEndpoint endpoint, SendPool sendPool, long sendBufferSizeLimit,
			int maxTextMessageSize, LiveMetrics metrics, ConnectionBindings bindings, ApplicationEventPublisher events,
			@Nullable Duration idleTimeout) {
		this(endpoint, sendPool.getExecutor(), sendPool, sendBufferSizeLimit, maxTextMessageSize, metrics, bindings,
				events, idleTimeout);
	}

	private LiveWebSocketHandler(LiveEndpoint endpoint, Executor sendExecutor, @Nullable SendPool sendPool,
			long sendBufferSizeLimit, int maxTextMessageSize, LiveMetrics metrics, ConnectionBindings bindings,
			ApplicationEventPublisher events, @Nullable Duration idleTimeout) {
		this.endpoint = endpoint;
		this.sendExecutor = sendExecutor;
		this.sendPool = sendPool;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
		this.maxTextMessageSize = maxTextMessageSize;
		this.metrics = metrics;
		this.bindings = bindings;
		this.events = events;
		this.idleTimeout = idleTimeout;
	}

	/**
	 * Bound what the container's own threads may spend on one connection (Tomcat: the
	 * blocking sends of pongs and close frames, the wait for the rest of a frame). Other
	 * containers ignore it.
	 * @param controlFrameTimeout how long the container may block sending one control
	 * frame; livesession's own frames are sent without blocking a container thread
	 * @param readIdleTimeout how long a connection may stay without any inbound byte (a
	 * frame begun and never finished, say) before it is closed, or zero for no limit
	 * @since 0.1.0
	 */
	public void setContainerTimeouts(Duration controlFrameTimeout, Duration readIdleTimeout) {
		this.containerTimeouts = new WebSocketTransport.ContainerTimeouts(controlFrameTimeout, readIdleTimeout);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		// The container's buffer: frames arrive in parts of at most this size, and one
		// above the limit is closed here with 1009.
		session.setTextMessageSizeLimit(this.maxTextMessageSize);
		Map<String, Object> attributes = session.getAttributes();
		ConnectRequest request = (ConnectRequest) attributes.get(LiveHandshakeInterceptor.CONNECT_REQUEST_ATTRIBUTE);
		Assert.state(request != null, "No handshake data: is LiveHandshakeInterceptor registered?");
		ConnectionInfo info = new ConnectionInfo(UUID.randomUUID().toString(), request.getUserId(),
				request.getGroupId(), request.getPrincipal(), request.getAuthorities(),
				(String) attributes.get(LiveHandshakeInterceptor.HTTP_SESSION_ATTRIBUTE), Instant.now());
		ManagedConnection connection = (this.sendPool != null)
				? Delivery.connection(info,
						new WebSocketTransport(session, this.sendPool.getSendTimeLimit(), this.idleTimeout,
								this.containerTimeouts),
						this.sendPool, this.sendBufferSizeLimit, this.metrics, this.endpoint::closed)
				: Delivery.connection(info, new WebSocketTransport(session), this.sendExecutor,
						this.sendBufferSizeLimit);
		request.getAttributes().forEach(connection::setAttribute);
		attributes.put(CONNECTION_ATTRIBUTE, connection);
		this.endpoint.opened(connection);
		if (connection.isOpen()) {
			// Bound once registered, and unbound if it closed meanwhile: a closed
			// connection never stays bound.
			this.bindings.bind(connection, request.getAnonymousId(),
					(HttpSession) attributes.get(LiveHandshakeInterceptor.CONTAINER_SESSION_ATTRIBUTE));
			if (!connection.isOpen()) {
				this.bindings.unbind(connection);
				return;
			}
			this.events.publishEvent(new LiveConnectionOpenedEvent(connection));
		}
	}

	/**
	 * Frames arrive in parts, so that livesession, not the container, refuses a frame
	 * above the limit or a binary one: a container closes with a reason text of its own
	 * ("No async message support and buffer too small…" on Tomcat), and clients get
	 * livesession's words.
	 */
	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		ManagedConnection connection = connection(session);
		if (connection.isClosing()) {
			// Nothing of a closing connection is processed, nor buffered.
			session.getAttributes().remove(PARTIAL_TEXT_ATTRIBUTE);
			return;
		}
		connection.heard();
		String text = assemble(session, message);
		if (text == null) {
			return;
		}
		if (text.length() > this.maxTextMessageSize) {
			CloseCode.FRAME_TOO_LARGE.close(connection);
			return;
		}
		this.endpoint.received(connection, text);
	}

	/**
	 * Collect the parts of a text frame, at most one character over the limit.
	 * @return the whole frame's text, or {@code null} while more parts are to come
	 */
	private @Nullable String assemble(WebSocketSession session, TextMessage message) {
		Map<String, Object> attributes = session.getAttributes();
		StringBuilder partial = (StringBuilder) attributes.get(PARTIAL_TEXT_ATTRIBUTE);
		if (partial == null && message.isLast()) {
			return message.getPayload();
		}
		if (partial == null) {
			partial = new StringBuilder();
			attributes.put(PARTIAL_TEXT_ATTRIBUTE, partial);
		}
		String part = message.getPayload();
		partial.append(part, 0, Math.min(part.length(), this.maxTextMessageSize + 1 - partial.length()));
		if (!message.isLast() && partial.length() <= this.maxTextMessageSize) {
			return null;
		}
		attributes.remove(PARTIAL_TEXT_ATTRIBUTE);
		return partial.toString();
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		// The answer to a heartbeat ping.
		connection(session).heard();
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		// On the first part, whatever the frame's size.
		CloseCode.BINARY_FRAME.close(connection(session));
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		ManagedConnection connection = (ManagedConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
		if (connection != null) {
			CloseCode.TRANSPORT_ERROR.close(connection);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		LiveHandshakeInterceptor.releasePermit(session.getAttributes());
		ManagedConnection connection = (ManagedConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
		if (connection != null) {
			this.endpoint.closed(connection);
			this.bindings.unbind(connection);
			this.events.publishEvent(new LiveConnectionClosedEvent(connection, status.getCode(),
					(status.getReason() != null) ? status.getReason() : ""));
		}
	}

	private static ManagedConnection connection(WebSocketSession session) {
		return (ManagedConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
	}

}
