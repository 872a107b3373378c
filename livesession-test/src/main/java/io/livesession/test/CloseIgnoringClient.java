package io.livesession.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A hostile live client on a {@link RawWebSocket}: it never answers the server's close
 * frame and keeps sending after it, as a client written to ignore revocations would,
 * until the server drops the TCP connection. Reads on a thread of its own, or, when
 * opened stalled, reads nothing until {@link #startReading()}, so that the server's
 * writes to it block and it is evicted.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class CloseIgnoringClient implements AutoCloseable {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final RawWebSocket socket;

	private final BlockingQueue<RawWebSocket.Frame> frames = new LinkedBlockingQueue<>();

	/** Text frames that arrived after the server's close frame. */
	private final List<String> afterClose = new CopyOnWriteArrayList<>();

	private volatile int closeCode = -1;

	private volatile @Nullable Thread reader;

	private volatile boolean stopped;

	private CloseIgnoringClient(RawWebSocket socket) {
		this.socket = socket;
	}

	/**
	 * Open {@code /live} with the given Cookie header and start reading.
	 * @param port the port
	 * @param cookie the Cookie header value, or {@code null}
	 * @return the client, its {@code hello} not yet read
	 */
	public static CloseIgnoringClient open(int port, @Nullable String cookie) {
		CloseIgnoringClient client = new CloseIgnoringClient(RawWebSocket.open(port, "/live", headers(cookie)));
		client.requireUpgraded();
		client.startReading();
		return client;
	}

	/**
	 * Open {@code /live} on a socket with a 4 KB receive buffer and read nothing.
	 * @param port the port
	 * @param cookie the Cookie header value, or {@code null}
	 * @return the client
	 */
	public static CloseIgnoringClient openStalled(int port, @Nullable String cookie) {
		CloseIgnoringClient client = new CloseIgnoringClient(RawWebSocket.open(port, "/live", headers(cookie), 4096));
		client.requireUpgraded();
		return client;
	}

	private static List<String> headers(@Nullable String cookie) {
		return (cookie != null && !cookie.isEmpty()) ? List.of("Cookie: " + cookie) : List.of();
	}

	private void requireUpgraded() {
		if (this.socket.status() != 101) {
			this.socket.close();
			throw new IllegalStateException("Handshake refused with " + this.socket.status());
		}
	}

	/**
	 * Read the server's frames on a thread of this client's.
	 */
	public synchronized void startReading() {
		if (this.reader != null) {
			return;
		}
		Thread thread = new Thread(this::read, "close-ignoring-client");
		thread.setDaemon(true);
		this.reader = thread;
		thread.start();
	}

	private void read() {
		while (!this.stopped && !this.socket.isEnded()) {
			RawWebSocket.Frame frame = this.socket.readFrame(Duration.ofMillis(200));
			if (frame == null) {
				continue;
			}
			if (frame.opcode() == RawWebSocket.CLOSE) {
				byte[] payload = frame.payload();
				// Recorded, never answered.
				this.closeCode = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
			}
			else if (frame.opcode() == RawWebSocket.TEXT && this.closeCode != -1) {
				this.afterClose.add(frame.text());
			}
			this.frames.add(frame);
		}
	}

	/**
	 * The next text frame of the given protocol type, skipping others.
	 * @param type the frame type
	 * @param timeout how long to wait
	 * @return the frame
	 */
	public JsonNode next(String type, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			RawWebSocket.Frame frame;
			try {
				frame = this.frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (frame != null && frame.opcode() == RawWebSocket.TEXT) {
				JsonNode json = mapper.readTree(frame.text());
				if (type.equals(json.path("type").asString())) {
					return json;
				}
			}
		}
		throw new AssertionError("No '" + type + "' frame within " + timeout);
	}

	/**
	 * Wait for the server's close frame (which is never answered).
	 * @param timeout how long to wait
	 * @return the close code
	 */
	public int awaitCloseFrame(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.closeCode == -1 && System.nanoTime() < deadline) {
			sleep(Duration.ofMillis(5));
		}
		if (this.closeCode == -1) {
			throw new AssertionError("No close frame within " + timeout);
		}
		return this.closeCode;
	}

	/**
	 * Send an action frame, as a client that ignores the close would.
	 * @param action the action name
	 * @param ref the ref
	 * @return whether the socket took the frame: {@code false} once the server dropped
	 * the TCP connection
	 */
	public boolean sendAction(String action, String ref) {
		return sendText("{\"type\":\"action\",\"action\":\"" + action + "\",\"ref\":\"" + ref + "\"}");
	}

	/**
	 * Send a text frame.
	 * @param text the frame
	 * @return whether the socket took the frame
	 */
	public boolean sendText(String text) {
		try {
			this.socket.sendText(text.getBytes(StandardCharsets.UTF_8));
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/**
	 * Send {@code count} actions spread evenly from {@code first} to {@code last} after
	 * now.
	 * @param action the action name
	 * @param count how many
	 * @param first the delay of the first
	 * @param last the delay of the last
	 * @return how many the socket took
	 */
	public int sendSpread(String action, int count, Duration first, Duration last) {
		long start = System.nanoTime();
		int taken = 0;
		for (int i = 0; i < count; i++) {
			long at = first.toNanos() + (count > 1 ? (last.toNanos() - first.toNanos()) * i / (count - 1) : 0);
			long wait = start + at - System.nanoTime();
			if (wait > 0) {
				sleep(Duration.ofNanos(wait));
			}
			if (sendAction(action, "after-close-" + i)) {
				taken++;
			}
		}
		return taken;
	}

	/**
	 * The text frames that arrived after the server's close frame.
	 * @return the frames
	 */
	public List<String> getTextAfterClose() {
		return List.copyOf(this.afterClose);
	}

	/**
	 * The close code the server sent, or -1 before its close frame.
	 * @return the code
	 */
	public int getCloseCode() {
		return this.closeCode;
	}

	private static void sleep(Duration duration) {
		try {
			TimeUnit.NANOSECONDS.sleep(duration.toNanos());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.stopped = true;
		this.socket.close();
	}

}
