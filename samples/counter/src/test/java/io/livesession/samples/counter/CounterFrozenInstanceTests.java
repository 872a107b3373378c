package io.livesession.samples.counter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One of two counter instances is frozen (SIGSTOP, as a long GC pause or a stalled VM
 * would) in the middle of its updates, for longer than any timeout or lease, and then
 * resumes (SIGCONT): no acknowledged increment is lost, no two acknowledged replies carry
 * the same count, and the other instance keeps answering during the freeze.
 */
class CounterFrozenInstanceTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void aFrozenInstanceNeitherLosesAcknowledgedIncrementsNorHoldsUpTheOther() throws Exception {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = SpringApplication.run(CounterApplication.class, "--server.port=0",
						"--spring.profiles.active=redis", "--spring.data.redis.host=" + redis.host(),
						"--spring.data.redis.port=" + redis.port());
				Forked two = Forked.start(redis)) {
			int portOne = ((WebServerApplicationContext) one).getWebServer().getPort();
			String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(portOne);
			List<Tab> tabs = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				tabs.add(new Tab("one" + i, LiveTestClient.connect(portOne, cookie)));
				tabs.add(new Tab("two" + i, LiveTestClient.connect(two.port, cookie)));
			}
			tabs.forEach(Tab::start);
			Thread.sleep(2000);
			// Short freezes first, then one longer than every timeout and lease (command
			// timeout 2 s, presence lease 15 s), each right after a burst so that the
			// frozen instance is most likely between a read and its commit.
			for (long freeze : new long[] { 3_000, 3_000, 16_000 }) {
				tabs.stream().filter((tab) -> tab.name.startsWith("two")).forEach(Tab::burst);
				Thread.sleep(3);
				two.signal("STOP");
				Thread.sleep(freeze);
				two.signal("CONT");
				Thread.sleep(2000);
			}
			tabs.forEach(Tab::stop);
			for (Tab tab : tabs) {
				tab.awaitAnswers(Duration.ofSeconds(30));
				tab.unexpected.forEach((frame) -> System.out.println("measured frozen instance, " + tab.name
						+ " received an error that answers no action: " + frame));
			}
			Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
			int unavailable = 0;
			List<Long> latenciesOnOne = new ArrayList<>();
			for (Tab tab : tabs) {
				for (Answer answer : tab.answers.values()) {
					if (answer.count() > 0) {
						String previous = acknowledged.put(answer.count(), tab.name + "/" + answer.ref());
						assertThat(previous).as("two acknowledged replies with count %d", answer.count()).isNull();
					}
					else {
						assertThat(answer.code()).isEqualTo("unavailable");
						unavailable++;
						assertThat(tab.name).as("only the frozen instance may answer unavailable").startsWith("two");
					}
					if (tab.name.startsWith("one")) {
						latenciesOnOne.add(answer.millis());
					}
				}
			}
			int count;
			try (LiveTestClient probe = LiveTestClient.connect(portOne, cookie)) {
				count = probe.next("hello").at("/state/counter/count").asInt();
			}
			// Every acknowledged increment is in the count; the only extra ones are
			// answers of 'unavailable' whose commit happened just as they timed out.
			assertThat(acknowledged.keySet()).allMatch((acked) -> acked <= count);
			assertThat(count).isBetween(acknowledged.size(), acknowledged.size() + unavailable);
			latenciesOnOne.sort(null);
			long p99 = latenciesOnOne.get((int) Math.ceil(latenciesOnOne.size() * 0.99) - 1);
			System.out.println("measured frozen instance: " + acknowledged.size() + " acknowledged, " + unavailable
					+ " unavailable, count " + count + ", p99 on the other instance " + p99 + " ms over "
					+ latenciesOnOne.size() + " actions");
			assertThat(p99).as("p99 on the other instance, ms").isLessThan(1000);
			tabs.forEach((tab) -> tab.client.close());
		}
	}

	record Answer(String ref, int count, String code, long millis) {
	}

	/**
	 * A tab that increments at most every 250 ms and records answers. The rate limit is
	 * per browser, shared by the four tabs of an instance (one cookie): 4 × 4/s stays
	 * under its 20/s, and four bursts of five within its burst of 40.
	 */
	static final class Tab {

		final String name;

		final LiveTestClient client;

		final Map<String, Long> sent = new ConcurrentHashMap<>();

		final Map<String, Answer> answers = new ConcurrentHashMap<>();

		final List<String> burst = new CopyOnWriteArrayList<>();

		final List<String> unexpected = new CopyOnWriteArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread sender;

		private final Thread reader;

		private int sequence;

		Tab(String name, LiveTestClient client) {
			this.name = name;
			this.client = client;
			client.next("hello");
			this.sender = new Thread(this::send, "sender-" + name);
			this.reader = new Thread(this::read, "reader-" + name);
		}

		void start() {
			this.sender.start();
			this.reader.start();
		}

		private synchronized String increment() {
			String ref = this.name + "-" + (++this.sequence);
			this.sent.put(ref, System.nanoTime());
			this.client.action("increment", null, ref);
			return ref;
		}

		/** Five at once: with the other tabs of the instance, within the burst. */
		synchronized void burst() {
			for (int i = 0; i < 5; i++) {
				increment();
			}
		}

		/**
		 * One action at a time, as a user who waits for the count to change, then a
		 * pause: a frozen instance finds no pile of frames over the rate limit when it
		 * resumes.
		 */
		private void send() {
			while (this.running.get()) {
				String ref = increment();
				try {
					while (!this.answers.containsKey(ref) && this.running.get()) {
						Thread.sleep(5);
					}
					Thread.sleep(250);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private void read() {
			while (!this.client.isClosed()) {
				Object frame = this.client.poll(Duration.ofMillis(200));
				if (!(frame instanceof String text)) {
					continue;
				}
				JsonNode node = mapper.readTree(text);
				String type = node.path("type").asString();
				if (type.equals("reply") || type.equals("error")) {
					String ref = node.path("ref").asString(null);
					if (ref == null || !this.sent.containsKey(ref)) {
						// Not an answer to an action of this tab: kept for the failure
						// message rather than ending the reader.
						this.unexpected.add(text);
						continue;
					}
					long millis = (System.nanoTime() - this.sent.get(ref)) / 1_000_000;
					this.answers.put(ref,
							type.equals("reply") ? new Answer(ref, node.at("/data/count").asInt(), "", millis)
									: new Answer(ref, 0, node.get("code").asString(), millis));
				}
			}
		}

		void stop() {
			this.running.set(false);
		}

		void awaitAnswers(Duration timeout) throws InterruptedException {
			this.sender.join();
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.answers.size() < this.sent.size() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(this.answers.keySet())
				.as("every action of %s answered (frames that answered none: %s; closed: %s)", this.name,
						this.unexpected, this.client.isClosed())
				.containsExactlyInAnyOrderElementsOf(this.sent.keySet());
		}

	}

	/** The counter's main class in a JVM of its own, with the test's class path. */
	static final class Forked implements AutoCloseable {

		final Process process;

		final int port;

		private Forked(Process process, int port) {
			this.process = process;
			this.port = port;
		}

		static Forked start(RedisTestServer redis) throws Exception {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			Path log = Files.createTempFile("counter-", ".log");
			Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
					System.getProperty("java.class.path"), CounterApplication.class.getName(), "--server.port=" + port,
					"--spring.profiles.active=redis", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			Forked forked = new Forked(process, port);
			HttpClient http = HttpClient.newHttpClient();
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					throw new IllegalStateException("The forked counter exited:\n" + Files.readString(log));
				}
				try {
					HttpResponse<Void> response = http.send(
							HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
							HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() == 200) {
						return forked;
					}
				}
				catch (IOException ex) {
					// Not listening yet.
				}
				Thread.sleep(200);
			}
			forked.close();
			throw new IllegalStateException("The forked counter did not start:\n" + Files.readString(log));
		}

		void signal(String signal) throws Exception {
			int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start().waitFor();
			assertThat(exit).as("kill -%s", signal).isZero();
		}

		@Override
		public void close() throws Exception {
			if (this.process.isAlive()) {
				signal("CONT");
				this.process.destroyForcibly().waitFor();
			}
		}

	}

}
