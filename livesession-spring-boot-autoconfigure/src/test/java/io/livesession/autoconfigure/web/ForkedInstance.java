package io.livesession.autoconfigure.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;

/**
 * An instance of the test application in a JVM of its own, so that a test can kill it
 * like a crashed server: no shutdown hook, no clean stop, nothing left running in the
 * test's JVM. Its {@link #main} is the child's entry point.
 */
final class ForkedInstance implements AutoCloseable {

	private static final String STARTED = "livesession-test-instance-started";

	private static final String APPLICATION = "livesession.test.application";

	private final Process process;

	private final int port;

	private final Path log;

	private ForkedInstance(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Start the test application in a new JVM with this JVM's class path.
	 * @param port the server port
	 * @param arguments the application arguments
	 * @return the started instance
	 */
	static ForkedInstance start(int port, List<String> arguments) {
		return start(LiveTestApplication.class, port, arguments);
	}

	/**
	 * Start an application of the tests in a new JVM with this JVM's class path.
	 * @param application the application class
	 * @param port the server port
	 * @param arguments the application arguments
	 * @return the started instance
	 */
	static ForkedInstance start(Class<?> application, int port, List<String> arguments) {
		try {
			Path log = Files.createTempFile("livesession-instance-", ".log");
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current().info().command().orElse("java"));
			command.add("-cp");
			command.add(System.getProperty("java.class.path"));
			command.add("-D" + APPLICATION + "=" + application.getName());
			command.add(ForkedInstance.class.getName());
			command.addAll(arguments);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			ForkedInstance instance = new ForkedInstance(process, port, log);
			instance.awaitStarted(Duration.ofSeconds(60));
			return instance;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start a forked instance", ex);
		}
	}

	private void awaitStarted(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (Files.readString(this.log, StandardCharsets.UTF_8).contains(STARTED)) {
				return;
			}
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The forked instance exited:\n" + output());
			}
			sleep(50);
		}
		kill();
		throw new IllegalStateException("The forked instance did not start within " + timeout + ":\n" + output());
	}

	int port() {
		return this.port;
	}

	/**
	 * Kill the JVM at once (SIGKILL on Unix), as a crash or an OOM killer would.
	 */
	void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
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

	/**
	 * The forked JVM's entry point: runs the test application and says when it started.
	 * @param args the application arguments
	 */
	public static void main(String[] args) throws ClassNotFoundException {
		SpringApplication.run(Class.forName(System.getProperty(APPLICATION, LiveTestApplication.class.getName())),
				args);
		System.out.println(STARTED);
	}

}
