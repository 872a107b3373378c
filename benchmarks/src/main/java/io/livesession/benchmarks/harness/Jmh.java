package io.livesession.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JMH microbenchmarks, in their own forks.
 *
 * @author livesession
 */
final class Jmh {

	private final Bench bench;

	Jmh(Bench bench) {
		this.bench = bench;
	}

	void run() throws Exception {
		Path json = Path.of("benchmarks", "target", "jmh.json");
		Files.createDirectories(json.getParent());
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jmh.Main",
				"io.livesession.benchmarks.jmh.*"));
		command.addAll(this.bench.full ? List.of("-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "2s")
				: List.of("-f", "1", "-wi", "1", "-w", "500ms", "-i", "1", "-r", "500ms", "-p", "connections=1000"));
		command.addAll(List.of("-rf", "json", "-rff", json.toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(this.bench.logDir.resolve("jmh.log").toFile()))
			.start();
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("JMH failed; see " + this.bench.logDir.resolve("jmh.log"));
		}
		this.bench.results.put("JMH", Report.jmh(json));
	}

}
