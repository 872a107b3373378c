package io.livesession.autoconfigure.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's {@code MONITOR} on a raw socket: every command the server runs, one line each,
 * with its source ({@code [0 127.0.0.1:port]} for a client, {@code [0 lua]} for a
 * script), to count round trips exactly.
 */
final class RedisMonitor implements AutoCloseable {

	private final Socket socket;

	private final List<String> lines = new ArrayList<>();

	private final Thread reader;

	private volatile long lastLine = System.nanoTime();

	private RedisMonitor(Socket socket) throws IOException {
		this.socket = socket;
		BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		this.reader = new Thread(() -> {
			try {
				String line;
				while ((line = in.readLine()) != null) {
					synchronized (this.lines) {
						this.lines.add(line);
					}
					this.lastLine = System.nanoTime();
				}
			}
			catch (IOException ex) {
				// Closed.
			}
		}, "redis-monitor");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	static RedisMonitor start(String host, int port) {
		try {
			Socket socket = new Socket(host, port);
			socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			RedisMonitor monitor = new RedisMonitor(socket);
			monitor.awaitQuiet();
			return monitor;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Forget the lines so far, once none has arrived for 300 ms: the line of a command
	 * whose client already has its answer may still be on its way to the monitor (the
	 * warm-up's commit, counted now and then among the measured actions').
	 */
	void reset() {
		awaitQuiet();
		synchronized (this.lines) {
			this.lines.clear();
		}
	}

	/**
	 * The lines so far, once none has arrived for 300 ms since this call: a line still on
	 * its way when it is called arrives within that time, even after a long silence.
	 * @return the lines
	 */
	List<String> awaitQuiet() {
		long called = System.nanoTime();
		while (System.nanoTime() - Math.max(called, this.lastLine) < 300_000_000L) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		synchronized (this.lines) {
			return List.copyOf(this.lines);
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
