package io.livesession.benchmarks.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One load-generator connection on the JDK's {@code java.net.http} WebSocket client,
 * speaking livesession's protocol, raw text or STOMP depending on the server.
 *
 * @author livesession
 */
final class Client implements WebSocket.Listener {

	final Server.Kind kind;

	final String user;

	final String group;

	final Sink sink;

	final CompletableFuture<Client> ready = new CompletableFuture<>();

	volatile @Nullable Consumer<String> other;

	/** A stalled client stops asking for frames, so TCP backs up to the server. */
	volatile boolean stalled;

	volatile boolean closed;

	private volatile @Nullable WebSocket webSocket;

	private final StringBuilder text = new StringBuilder();

	Client(Server.Kind kind, String user, String group, Sink sink) {
		this.kind = kind;
		this.user = user;
		this.group = group;
		this.sink = sink;
	}

	CompletableFuture<Client> connect(HttpClient http, URI uri) {
		http.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(30))
			.buildAsync(uri, this)
			.whenComplete((ws, ex) -> {
				if (ex != null) {
					this.closed = true;
					this.ready.completeExceptionally(ex);
				}
			});
		return this.ready;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.webSocket = webSocket;
		if (this.kind == Server.Kind.STOMP) {
			send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
		}
		else if (this.kind == Server.Kind.RAW) {
			this.ready.complete(this);
		}
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.text.append(data);
		if (last) {
			String message = this.text.toString();
			this.text.setLength(0);
			handle(message);
		}
		if (!this.stalled) {
			webSocket.request(1);
		}
		return null;
	}

	private void handle(String message) {
		if (!this.ready.isDone()) {
			if (this.kind == Server.Kind.LIVE && message.contains("\"type\":\"hello\"")) {
				this.ready.complete(this);
				return;
			}
			if (this.kind == Server.Kind.STOMP && message.startsWith("CONNECTED")) {
				subscribe(0, "/topic/all");
				subscribe(1, "/topic/g." + this.group);
				subscribe(2, "/user/queue/m");
				this.ready.complete(this);
				return;
			}
		}
		int t = message.indexOf("\"t\":");
		if (t >= 0) {
			this.sink.broadcast(this, parseLong(message, t + 4), target(message));
			return;
		}
		Consumer<String> consumer = this.other;
		if (consumer != null) {
			consumer.accept(message);
		}
	}

	private void subscribe(int id, String destination) {
		send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\n\n\0");
	}

	void send(String text) {
		WebSocket ws = this.webSocket;
		if (ws != null && !this.closed) {
			// The JDK client allows one outstanding send; broadcasts never send, so only
			// the few actions/echoes of one thread contend here.
			synchronized (this) {
				try {
					ws.sendText(text, true).join();
				}
				catch (Exception ex) {
					this.closed = true;
				}
			}
		}
	}

	void close() {
		WebSocket ws = this.webSocket;
		this.closed = true;
		if (ws != null) {
			ws.sendClose(WebSocket.NORMAL_CLOSURE, "")
				.orTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
				.whenComplete((result, ex) -> ws.abort());
		}
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed = true;
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed = true;
		this.ready.completeExceptionally(error);
	}

	boolean accepts(String target) {
		return target.equals("all") || target.equals("warm") || target.equals("user:" + this.user)
				|| target.equals("group:" + this.group) || target.equals("topic:room-" + this.group);
	}

	private static String target(String message) {
		int k = message.indexOf("\"k\":\"");
		if (k < 0) {
			return "";
		}
		int end = message.indexOf('"', k + 5);
		return message.substring(k + 5, end);
	}

	static long parseLong(String text, int from) {
		long value = 0;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	/**
	 * Receives every stamped broadcast frame.
	 */
	interface Sink {

		void broadcast(Client client, long sentMicros, String target);

	}

}
