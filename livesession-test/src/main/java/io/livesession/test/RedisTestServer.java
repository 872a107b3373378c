package io.livesession.test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A private Redis for tests: a Testcontainers container when Docker is available,
 * otherwise a {@code redis-server} from the PATH on a free loopback port (never the
 * shared 6379), otherwise a failure that says what to install. Never a silent skip. Can
 * be stopped and started again on the same address to test outages.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisTestServer implements AutoCloseable {

	private final @Nullable GenericContainer<?> container;

	private final int port;

	private final @Nullable Path directory;

	private @Nullable Process process;

	private RedisTestServer(@Nullable GenericContainer<?> container, int port, @Nullable Path directory) {
		this.container = container;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start a private Redis.
	 * @return the running server
	 * @throws IllegalStateException when neither Docker nor redis-server is available
	 */
	public static RedisTestServer start() {
		if (dockerAvailable()) {
			GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
			container.start();
			return new RedisTestServer(container, container.getMappedPort(6379), null);
		}
		String executable = findOnPath("redis-server");
		if (executable == null) {
			throw new IllegalStateException("These tests need Redis: no Docker engine for Testcontainers and no "
					+ "'redis-server' on the PATH. Install one, e.g. 'apt-get install redis-server'.");
		}
		try {
			RedisTestServer server = new RedisTestServer(null, freePort(), Files.createTempDirectory("redis-test"));
			server.startProcess();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start redis-server", ex);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static @Nullable String findOnPath(String name) {
		String path = System.getenv("PATH");
		for (String dir : (path != null) ? path.split(File.pathSeparator) : new String[0]) {
			File candidate = new File(dir, name);
			if (candidate.canExecute()) {
				return candidate.getAbsolutePath();
			}
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private void startProcess() throws IOException {
		this.process = new ProcessBuilder(
				List.of("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1", "--save", "",
						"--appendonly", "yes", "--appendfsync", "everysec", "--dir", this.directory.toString()))
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			if (ping()) {
				return;
			}
			sleep(20);
		}
		throw new IllegalStateException(
				"redis-server did not start on port " + this.port + "; see " + this.directory.resolve("redis.log"));
	}

	/**
	 * Whether the server answers PING.
	 * @return true when it answers
	 */
	public boolean ping() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] reply = new byte[7];
			int read = socket.getInputStream().read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The host to connect to.
	 * @return the host
	 */
	public String host() {
		return (this.container != null) ? this.container.getHost() : "127.0.0.1";
	}

	/**
	 * The port to connect to.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Make Redis unreachable, keeping its address and its data (a container is paused; a
	 * local server shuts down gracefully and reloads its append-only file on restart).
	 */
	public void stop() {
		if (this.container != null) {
			DockerClientFactory.instance().client().pauseContainerCmd(this.container.getContainerId()).exec();
			return;
		}
		Process process = this.process;
		if (process != null) {
			process.destroy();
			try {
				process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	/**
	 * Make Redis reachable again on the same address.
	 */
	public void restart() {
		if (this.container != null) {
			DockerClientFactory.instance().client().unpauseContainerCmd(this.container.getContainerId()).exec();
			return;
		}
		try {
			startProcess();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not restart redis-server", ex);
		}
	}

	@Override
	public void close() {
		if (this.container != null) {
			this.container.stop();
		}
		else {
			stop();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
