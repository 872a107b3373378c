package io.livesession.benchmarks.harness;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.livesession.benchmarks.BenchProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * A benchmark server in its own JVM, pinned apart from the load generator where
 * {@code taskset} exists, and its {@code /bench} control endpoint.
 *
 * @author livesession
 */
final class Server implements AutoCloseable {

	/** JVM settings shared by every server. */
	static final List<String> JVM = List.of("-Xms512m", "-Xmx2g", "-XX:+UseG1GC");

	/** The servlet container of the servers started from now on: tomcat or jetty. */
	static volatile String container = "tomcat";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	enum Kind {

		LIVE("P", "io.livesession.benchmarks.live.LiveBenchServer", "/live"),

		RAW("R", "io.livesession.benchmarks.raw.RawBenchServer", "/raw"),

		STOMP("S", "io.livesession.benchmarks.stomp.StompBenchServer", "/stomp");

		final String label;

		final String mainClass;

		final String path;

		Kind(String label, String mainClass, String path) {
			this.label = label;
			this.mainClass = mainClass;
			this.path = path;
		}

	}

	final Kind kind;

	final int port;

	private final Process process;

	private Server(Kind kind, int port, Process process) {
		this.kind = kind;
		this.port = port;
		this.process = process;
	}

	static Server start(Kind kind, int port, String cpu, Path logDir, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		if (cpu != null) {
			command.addAll(List.of("taskset", "-c", cpu));
		}
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(JVM);
		command.add("-D" + BenchProperties.CONTAINER_PROPERTY + "=" + container);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), kind.mainClass, "--server.port=" + port));
		command.addAll(List.of(args));
		Files.createDirectories(logDir);
		File log = logDir.resolve(kind.label + "-" + port + ".log").toFile();
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log))
			.start();
		return new Server(kind, port, process);
	}

	long pid() {
		return this.process.pid();
	}

	void awaitUp(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.kind.label + " on " + this.port + " exited; see its log");
			}
			try {
				stats(false);
				return;
			}
			catch (Exception ex) {
				Thread.sleep(250);
			}
		}
		throw new IllegalStateException(this.kind.label + " on " + this.port + " did not start in " + timeout);
	}

	URI uri(int index, String user, String group) {
		// Several loopback destinations so one generator process does not run out of
		// ephemeral ports (the 4-tuple differs per destination address).
		String host = "127.0.0." + (1 + index % 4);
		String query = (this.kind == Kind.STOMP) ? "?u=" + user : "?u=" + user + "&g=" + group;
		return URI.create("ws://" + host + ":" + this.port + this.kind.path + query);
	}

	Map<String, Object> stats(boolean gc) {
		return get("/bench/stats?gc=" + gc);
	}

	Map<String, Object> broadcast(int count, int size, String target, long intervalMicros, Duration timeout) {
		return call(HttpRequest
			.newBuilder(url("/bench/broadcast?count=" + count + "&size=" + size + "&target=" + target
					+ "&intervalMicros=" + intervalMicros))
			.timeout(timeout)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	void broadcastAsync(String target, int size) {
		HTTP.sendAsync(HttpRequest.newBuilder(url("/bench/broadcast?count=1&size=" + size + "&target=" + target))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding());
	}

	/**
	 * A control call that answers a number.
	 * @param path the path and query
	 * @return the number
	 */
	long post(String path) {
		return Long.parseLong(text(HttpRequest.newBuilder(url(path))
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build()).trim());
	}

	long count(String group) {
		return Long.parseLong(text(HttpRequest.newBuilder(url("/bench/count?group=" + group)).GET().build()).trim());
	}

	Map<String, Object> get(String path) {
		return call(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(60)).GET().build());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> call(HttpRequest request) {
		return JSON.readValue(text(request), Map.class);
	}

	private static String text(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
