package io.livesession.test;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real WebSocket client (the container's JSR-356 client) for tests: sends raw frames,
 * collects every frame it receives, and captures the handshake's response headers and the
 * close status.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveTestClient implements AutoCloseable {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final WebSocketContainer container = createContainer();

	private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();

	private final List<JsonNode> received = new ArrayList<>();

	private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

	private final Map<String, List<String>> responseHeaders = new java.util.concurrent.ConcurrentHashMap<>();

	private @Nullable Session session;

	private LiveTestClient() {
	}

	private static WebSocketContainer createContainer() {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(4 * 1024 * 1024);
		container.setDefaultMaxBinaryMessageBufferSize(4 * 1024 * 1024);
		return container;
	}

	/**
	 * Connect to a live endpoint.
	 * @param uri the ws:// URI
	 * @param headers request headers (Cookie, Origin, Authorization ...)
	 * @return the connected client
	 */
	public static LiveTestClient connect(URI uri, Map<String, String> headers) {
		LiveTestClient client = new LiveTestClient();
		ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
			.configurator(new ClientEndpointConfig.Configurator() {
				@Override
				public void beforeRequest(Map<String, List<String>> requestHeaders) {
					headers.forEach((name, value) -> requestHeaders.put(name, List.of(value)));
				}

				@Override
				public void afterResponse(HandshakeResponse response) {
					client.responseHeaders.putAll(response.getHeaders());
				}
			})
			.build();
		try {
			client.session = container.connectToServer(client.new ClientEndpoint(), config, uri);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not connect to " + uri, ex);
		}
		return client;
	}

	/**
	 * Connect with a cookie header.
	 * @param port the server port
	 * @param cookie the Cookie header value, or null
	 * @return the client
	 */
	public static LiveTestClient connect(int port, @Nullable String cookie) {
		return connect(URI.create("ws://127.0.0.1:" + port + "/live"),
				(cookie != null) ? Map.of("Cookie", cookie) : Map.of());
	}

	/**
	 * The first Set-Cookie value of the given cookie in the handshake response.
	 * @param name the cookie name
	 * @return the value or null
	 */
	public @Nullable String responseCookie(String name) {
		for (Map.Entry<String, List<String>> header : this.responseHeaders.entrySet()) {
			if (header.getKey().equalsIgnoreCase("Set-Cookie")) {
				for (String value : header.getValue()) {
					if (value.startsWith(name + "=")) {
						return value.substring(name.length() + 1, value.indexOf(';'));
					}
				}
			}
		}
		return null;
	}

	/**
	 * The next JSON text frame.
	 * @return the frame
	 */
	public JsonNode next() {
		return next(Duration.ofSeconds(10));
	}

	/**
	 * The next JSON text frame within a timeout.
	 * @param timeout the timeout
	 * @return the frame
	 */
	public JsonNode next(Duration timeout) {
		Object frame = poll(timeout);
		if (frame == null) {
			throw new AssertionError("No frame within " + timeout + "; last received: " + lastReceived());
		}
		if (!(frame instanceof String text)) {
			throw new AssertionError("Expected a text frame but got " + frame);
		}
		JsonNode node = mapper.readTree(text);
		this.received.add(node);
		return node;
	}

	/**
	 * The next raw frame (String or ByteBuffer), or null.
	 * @param timeout the timeout
	 * @return the frame
	 */
	public @Nullable Object poll(Duration timeout) {
		try {
			return this.frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Skip frames until one of the given type.
	 * @param type the frame type
	 * @return the frame
	 */
	public JsonNode next(String type) {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (type.equals(frame.path("type").asString())) {
				return frame;
			}
		}
		throw new AssertionError("No '" + type + "' frame; last received: " + lastReceived());
	}

	private List<JsonNode> lastReceived() {
		return this.received.subList(Math.max(0, this.received.size() - 5), this.received.size());
	}

	/**
	 * Send a raw text frame.
	 * @param text the frame
	 */
	public void sendText(String text) {
		try {
			session().getBasicRemote().sendText(text);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Send a raw binary frame.
	 * @param bytes the payload
	 */
	public void sendBinary(byte[] bytes) {
		try {
			session().getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Send an action frame.
	 * @param action the action name
	 * @param data the data, or null
	 * @param ref the ref, or null
	 */
	public void action(String action, @Nullable Object data, @Nullable String ref) {
		ObjectNode frame = mapper.createObjectNode();
		frame.put("type", "action");
		frame.put("action", action);
		if (data != null) {
			frame.set("data", mapper.valueToTree(data));
		}
		if (ref != null) {
			frame.put("ref", ref);
		}
		sendText(mapper.writeValueAsString(frame));
	}

	/**
	 * Wait for the server to close the connection.
	 * @param timeout the timeout
	 * @return the close reason
	 */
	public CloseReason awaitClose(Duration timeout) {
		try {
			return this.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("Not closed within " + timeout, ex);
		}
	}

	/**
	 * Whether the connection is closed.
	 * @return true when closed
	 */
	public boolean isClosed() {
		return this.closed.isDone();
	}

	/**
	 * Every JSON frame taken so far with next().
	 * @return the frames
	 */
	public List<JsonNode> getReceived() {
		return this.received;
	}

	private Session session() {
		if (this.session == null) {
			throw new IllegalStateException("Not connected");
		}
		return this.session;
	}

	@Override
	public void close() {
		try {
			if (this.session != null && this.session.isOpen()) {
				this.session.close();
			}
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private final class ClientEndpoint extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			session.addMessageHandler(String.class, (MessageHandler.Whole<String>) LiveTestClient.this.frames::add);
			session.addMessageHandler(ByteBuffer.class,
					(MessageHandler.Whole<ByteBuffer>) LiveTestClient.this.frames::add);
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			LiveTestClient.this.closed.complete(closeReason);
		}

	}

}
