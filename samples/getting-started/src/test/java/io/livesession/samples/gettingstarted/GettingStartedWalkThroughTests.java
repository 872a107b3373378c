package io.livesession.samples.gettingstarted;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.livesession.test.DocSnippets;
import io.livesession.test.DocSnippets.Block;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/getting-started.md followed literally: its {@code pom.xml} is this module's, its
 * Java files are compiled as shown, its page is the application's
 * {@code static/index.html}, and the application is started in a JVM of its own on
 * Tomcat, then on Jetty (the guide's variant: Tomcat excluded, the Jetty starter added).
 * Each must serve the page and share the count between two tabs of one browser, not with
 * another browser.
 */
class GettingStartedWalkThroughTests {

	private static final Path GUIDE = Path.of("..", "..", "docs", "getting-started.md");

	private static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	static Path project;

	static Path classes;

	static Path resources;

	@BeforeAll
	static void buildTheGuidesFiles() throws IOException {
		classes = project.resolve("target/classes");
		resources = project.resolve("src/main/resources");
		List<String> errors = DocSnippets.compileBlocks(DocSnippets.blocks(GUIDE, "java"), classes);
		assertThat(errors).as("the guide's Java files compile:%n%s", String.join("\n", errors)).isEmpty();
		assertThat(classes.resolve("com/example/counter/CounterApplication.class")).exists();
		Block page = file("html", "src/main/resources/static/index.html");
		Path index = resources.resolve("static/index.html");
		Files.createDirectories(index.getParent());
		Files.writeString(index, page.code());
	}

	@Test
	void theGuidesPomHasTheDependenciesOfThisModule() {
		String pom = file("xml", "pom.xml").code();
		assertThat(artifactIds(pom)).containsExactly("spring-boot-starter-parent", "counter",
				"spring-boot-starter-webmvc", "livesession-spring-boot-starter", "spring-boot-maven-plugin");
		String jetty = file("xml", "pom.xml (Jetty)").code();
		assertThat(artifactIds(jetty)).containsExactly("spring-boot-starter-webmvc", "spring-boot-starter-tomcat",
				"spring-boot-starter-jetty");
		assertThat(jetty).contains("<exclusion>");
	}

	@Test
	void theGuidesApplicationWorksOnTomcat() throws Exception {
		// Jetty is on this module's test class path only for the Jetty variant.
		try (App app = App.start(without("/org/eclipse/jetty/", "spring-boot-jetty", "spring-boot-starter-jetty"))) {
			assertThat(app.output()).contains("Tomcat started on port");
			assertTheCounterWorks(app.port);
		}
	}

	@Test
	void theGuidesApplicationWorksOnJetty() throws Exception {
		try (App app = App.start(without("/tomcat-embed-core/", "/tomcat-embed-websocket/", "spring-boot-tomcat",
				"spring-boot-starter-tomcat"))) {
			assertThat(app.output()).contains("Jetty started on port").doesNotContain("Tomcat started");
			assertTheCounterWorks(app.port);
		}
	}

	private static void assertTheCounterWorks(int port) throws Exception {
		HttpResponse<String> page = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("import { connect } from '/livesession/livesession.js'");
		HttpResponse<String> client = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livesession/livesession.js"))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(client.statusCode()).isEqualTo(200);
		assertThat(client.body()).contains("export function connect");

		// As a browser does: the page's response sets the cookie, both tabs send it.
		String cookie = page.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((value) -> value.startsWith("LIVESESSION="))
			.map((value) -> value.substring(0, value.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No LIVESESSION cookie on the page: " + page.headers()));
		try (LiveTestClient firstTab = LiveTestClient.connect(port, cookie)) {
			JsonNode hello = firstTab.next("hello");
			assertThat(hello.at("/state/counter/count").asInt()).isZero();
			try (LiveTestClient secondTab = LiveTestClient.connect(port, cookie);
					LiveTestClient otherBrowser = LiveTestClient.connect(port, null)) {
				secondTab.next("hello");
				otherBrowser.next("hello");
				firstTab.action("increment", Map.of("by", 2), "1");
				assertThat(firstTab.next("reply").at("/data/count").asInt()).isEqualTo(2);
				assertThat(secondTab.next("state").at("/state/counter/count").asInt()).isEqualTo(2);
				secondTab.action("reset", null, "2");
				assertThat(firstTab.next("state").at("/state/counter/count").asInt()).isZero();
				otherBrowser.action("increment", null, "3");
				assertThat(otherBrowser.next("reply").at("/data/count").asInt()).as("another browser has its own count")
					.isEqualTo(1);
			}
		}
	}

	private static Block file(String language, String name) {
		return DocSnippets.blocks(GUIDE, language)
			.stream()
			.filter((block) -> block.isMarked("<!-- file: " + name + " -->"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("The guide has no " + language + " block for " + name));
	}

	private static List<String> artifactIds(String pom) {
		List<String> ids = new ArrayList<>();
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("<artifactId>([^<]+)</artifactId>")
			.matcher(pom);
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

	/** This JVM's class path without the entries of one web server. */
	private static List<String> without(String... fragments) {
		Predicate<String> server = (entry) -> Arrays.stream(fragments).anyMatch(entry::contains);
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter(server.negate())
			.toList();
	}

	/** The guide's application in a JVM of its own. */
	private record App(Process process, int port, Path log) implements AutoCloseable {

		static App start(List<String> classPath) throws Exception {
			int port = freePort();
			Path log = Files.createTempFile("getting-started-", ".log");
			List<String> entries = new ArrayList<>(List.of(classes.toString(), resources.toString()));
			entries.addAll(classPath);
			Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
					String.join(File.pathSeparator, entries), "com.example.counter.CounterApplication",
					"--server.port=" + port, "--spring.main.banner-mode=off")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			App app = new App(process, port, log);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!app.output().contains("Started CounterApplication")) {
				if (!process.isAlive() || System.nanoTime() > deadline) {
					app.close();
					throw new AssertionError("The guide's application did not start:\n" + app.output());
				}
				Thread.sleep(100);
			}
			return app;
		}

		String output() throws IOException {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
		}

		private static int freePort() throws IOException {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
		}

	}

}
