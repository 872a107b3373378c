package io.livesession.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client written by hand on a socket, for input no real client sends: header
 * lines as given (repeated ones included), and frames of any shape (invalid UTF-8 in a
 * text frame, reserved bits and opcodes, unmasked frames). Reads the handshake's status
 * and headers and, after an upgrade, the server's frames and close code.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RawWebSocket implements AutoCloseable {

	/** Opcode of a continuation frame. */
	public static final int CONTINUATION = 0x0;

	/** Opcode of a text frame. */
	public static final int TEXT = 0x1;

	/** Opcode of a binary frame. */
	public static final int BINARY = 0x2;

	/** Opcode of a close frame. */
	public static final int CLOSE = 0x8;

	/** Opcode of a ping frame. */
	public static final int PING = 0x9;

	/** Opcode of a pong frame. */
	public static final int PONG = 0xA;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private final int status;

	private final Map<String, List<String>> headers;

	private volatile boolean ended;

	private RawWebSocket(Socket socket, DataInputStream in, int status, Map<String, List<String>> headers)
			throws IOException {
		this.socket = socket;
		this.in = in;
		this.out = socket.getOutputStream();
		this.status = status;
		this.headers = headers;
	}

	/**
	 * Send an upgrade request and read the response head.
	 * @param port the port
	 * @param path the path
	 * @param headerLines extra header lines ("Name: value"), written as given and in
	 * order
	 * @return the client; open for frames when {@link #status()} is 101
	 */
	public static RawWebSocket open(int port, String path, List<String> headerLines) {
		return open(port, path, headerLines, 0);
	}

	/**
	 * Send an upgrade request and read the response head, on a socket with the given
	 * receive buffer: a small one lets the server's writes block soon once the client
	 * stops reading.
	 * @param port the port
	 * @param path the path
	 * @param headerLines extra header lines ("Name: value"), written as given and in
	 * order
	 * @param receiveBufferSize the socket's receive buffer in bytes, or 0 for the
	 * system's default
	 * @return the client; open for frames when {@link #status()} is 101
	 */
	public static RawWebSocket open(int port, String path, List<String> headerLines, int receiveBufferSize) {
		Socket socket = null;
		try {
			socket = new Socket();
			if (receiveBufferSize > 0) {
				// Before connecting, so that the advertised window stays small.
				socket.setReceiveBufferSize(receiveBufferSize);
			}
			socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			socket.setSoTimeout(10_000);
			StringBuilder request = RawHandshake.upgradeRequest(port, path);
			for (String line : headerLines) {
				request.append(line).append("\r\n");
			}
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			String statusLine = RawFrames.readLine(in);
			if (statusLine == null) {
				throw new IllegalStateException("No response");
			}
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (String line = RawFrames.readLine(in); line != null && !line.isEmpty(); line = RawFrames.readLine(in)) {
				int colon = line.indexOf(':');
				headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(), (k) -> new ArrayList<>())
					.add(line.substring(colon + 1).trim());
			}
			return new RawWebSocket(socket, in, Integer.parseInt(statusLine.split(" ")[1]), headers);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The handshake's HTTP status.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The values of a response header.
	 * @param name the lower-case name
	 * @return the values
	 */
	public List<String> header(String name) {
		return this.headers.getOrDefault(name, List.of());
	}

	/**
	 * The value a {@code Set-Cookie} header of the response gives the named cookie.
	 * @param name the cookie name
	 * @return the value or null
	 */
	public @Nullable String responseCookie(String name) {
		for (String value : header("set-cookie")) {
			if (value.startsWith(name + "=")) {
				int end = value.indexOf(';');
				return value.substring(name.length() + 1, (end != -1) ? end : value.length());
			}
		}
		return null;
	}

	/**
	 * Send one frame.
	 * @param fin the FIN bit
	 * @param rsv the three reserved bits (0 to 7)
	 * @param opcode the opcode
	 * @param payload the payload
	 * @param masked whether to mask it, as a client must
	 */
	public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
		sendRaw(RawFrames.encode(fin, rsv, opcode, payload, masked));
	}

	/**
	 * Write bytes as given, a frame's header without its payload for instance.
	 * @param bytes the bytes
	 */
	public void sendRaw(byte[] bytes) {
		try {
			this.out.write(bytes);
			this.out.flush();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Send a final, masked text frame of the given bytes, valid UTF-8 or not.
	 * @param payload the payload
	 */
	public void sendText(byte[] payload) {
		sendFrame(true, 0, TEXT, payload, true);
	}

	/**
	 * Send a final, masked text frame.
	 * @param text the text
	 */
	public void sendText(String text) {
		sendText(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The next frame from the server.
	 * @param timeout how long to wait
	 * @return the frame, or null if the server closed the socket without one, or sent
	 * nothing in time
	 */
	public @Nullable Frame readFrame(Duration timeout) {
		return readFrame(timeout, new boolean[1]);
	}

	/**
	 * Read the next message: a frame, or a fragmented text or binary message joined from
	 * its continuation frames (containers split long messages into several frames).
	 * @param timeout how long to wait for each frame
	 * @return the message as one frame, or {@code null} if the socket ended or sent
	 * nothing in time
	 */
	public @Nullable Frame readMessage(Duration timeout) {
		boolean[] fin = new boolean[1];
		Frame first = readFrame(timeout, fin);
		if (first == null || fin[0] || first.opcode() >= CLOSE) {
			return first;
		}
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		payload.writeBytes(first.payload());
		while (!fin[0]) {
			Frame next = readFrame(timeout, fin);
			if (next == null) {
				return null;
			}
			if (next.opcode() == CONTINUATION) {
				payload.writeBytes(next.payload());
			}
			else if (next.opcode() < CLOSE) {
				throw new AssertionError("Expected a continuation frame but got " + next);
			}
			else if (next.opcode() == CLOSE) {
				return next;
			}
			else {
				// A control frame between fragments: not part of the message.
				fin[0] = false;
			}
		}
		return new Frame(first.opcode(), payload.toByteArray());
	}

	private @Nullable Frame readFrame(Duration timeout, boolean[] fin) {
		try {
			this.socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
			int first = this.in.read();
			if (first == -1) {
				this.ended = true;
				return null;
			}
			fin[0] = (first & 0x80) != 0;
			int second = this.in.readUnsignedByte();
			long length = second & 0x7F;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			byte[] key = null;
			if ((second & 0x80) != 0) {
				key = new byte[4];
				this.in.readFully(key);
			}
			byte[] payload = new byte[(int) length];
			this.in.readFully(payload);
			if (key != null) {
				for (int i = 0; i < payload.length; i++) {
					payload[i] ^= key[i % 4];
				}
			}
			return new Frame(first & 0xF, payload);
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		catch (IOException ex) {
			// The end of the stream, or reset by the server after its close frame.
			this.ended = true;
			return null;
		}
	}

	/**
	 * The next frame, which must be a JSON text frame.
	 * @return the JSON
	 */
	public JsonNode nextJson() {
		Frame frame = readMessage(Duration.ofSeconds(10));
		if (frame == null || frame.opcode() != TEXT) {
			throw new AssertionError("Expected a text frame but got " + frame);
		}
		return mapper.readTree(frame.text());
	}

	/**
	 * Read frames until the server's close frame.
	 * @param timeout how long to wait in all
	 * @return the close code, 1005 for a close frame without one, or -1 if the socket
	 * ended without a close frame
	 */
	public int awaitCloseCode(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Frame frame = readFrame(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
			if (frame == null) {
				return -1;
			}
			if (frame.opcode() == CLOSE) {
				return (frame.payload().length >= 2) ? ((frame.payload()[0] & 0xFF) << 8) | (frame.payload()[1] & 0xFF)
						: 1005;
			}
		}
		throw new AssertionError("No close frame within " + timeout);
	}

	/**
	 * Whether reading found the end of the stream or a reset: the server dropped the
	 * connection.
	 * @return {@code true} once ended
	 */
	public boolean isEnded() {
		return this.ended;
	}

	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	private static void closeQuietly(@Nullable Socket socket) {
		try {
			if (socket != null) {
				socket.close();
			}
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * A frame from the server.
	 *
	 * @param opcode the opcode
	 * @param payload the unmasked payload
	 */
	public record Frame(int opcode, byte[] payload) {

		/**
		 * The payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "Frame[opcode=" + this.opcode + ", "
					+ ((this.opcode == TEXT) ? text() : this.payload.length + " bytes") + "]";
		}

	}

}
