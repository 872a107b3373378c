package io.livesession.autoconfigure.web;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client on a raw socket with a small receive buffer that completes the
 * handshake and then reads nothing until told to, so the server's writes to it block once
 * the socket buffers are full, like a client that stopped reading.
 */
final class StalledClient implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private StalledClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
	}

	/**
	 * Complete a handshake at {@code /live} and stop reading.
	 * @param port the server port
	 * @param cookie the Cookie header, or null
	 * @return the client
	 */
	static StalledClient connect(int port, @Nullable String cookie) throws IOException {
		Socket socket = new Socket();
		// Before connecting, so that the advertised window stays small.
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		socket.setSoTimeout(10_000);
		StringBuilder request = new StringBuilder();
		request.append("GET /live HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(port).append("\r\n");
		request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
		request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
		if (cookie != null) {
			request.append("Cookie: ").append(cookie).append("\r\n");
		}
		request.append("\r\n");
		OutputStream out = socket.getOutputStream();
		out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
		out.flush();
		// The response head byte by byte, so that nothing after it is consumed.
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("No handshake response: " + head);
			}
			head.append((char) b);
		}
		if (!head.toString().startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IllegalStateException("Handshake refused: " + head);
		}
		return new StalledClient(socket);
	}

	/**
	 * Start reading again: the next text frame.
	 * @param timeout how long to wait for it
	 * @return the frame's text, or null when the server closed the connection (a close
	 * frame, end of stream or reset)
	 * @throws SocketTimeoutException when no frame started within the timeout
	 */
	@Nullable String nextText(Duration timeout) throws IOException {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		try {
			while (true) {
				// The timeout applies until a frame starts; then the frame is read whole.
				this.socket.setSoTimeout((message.size() == 0) ? (int) timeout.toMillis() : 10_000);
				int first = this.in.readUnsignedByte();
				this.socket.setSoTimeout(10_000);
				int second = this.in.readUnsignedByte();
				long length = second & 0x7F;
				if (length == 126) {
					length = this.in.readUnsignedShort();
				}
				else if (length == 127) {
					length = this.in.readLong();
				}
				if (length > 16 * 1024 * 1024) {
					throw new IOException("Not a WebSocket frame boundary (length " + length + ")");
				}
				byte[] payload = new byte[(int) length];
				this.in.readFully(payload);
				int opcode = first & 0x0F;
				if (opcode == 0x8) {
					return null;
				}
				if (opcode == 0x1 || opcode == 0x0) {
					message.write(payload);
					if ((first & 0x80) != 0) {
						return message.toString(StandardCharsets.UTF_8);
					}
				}
			}
		}
		catch (EOFException | SocketException ex) {
			return null;
		}
	}

	/**
	 * Whether nothing arrives within the timeout.
	 * @param timeout the timeout
	 * @return {@code true} if no byte arrived and the connection is still open
	 */
	boolean hasNoFrameWithin(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		try {
			// A byte or the end of the stream: either way not a silent, open connection.
			this.in.read();
			return false;
		}
		catch (SocketTimeoutException ex) {
			return true;
		}
	}

	/**
	 * Read and discard until the server has closed the connection: a close frame, the end
	 * of the stream or a reset.
	 * @param timeout how long to wait
	 * @return whether the server closed it within the timeout
	 */
	boolean awaitClosedByServer(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (nextText(Duration.ofMillis(200)) == null) {
					return true;
				}
			}
			catch (SocketTimeoutException ex) {
				// still open: keep reading
			}
		}
		return false;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
