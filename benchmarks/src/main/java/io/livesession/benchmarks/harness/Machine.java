package io.livesession.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Facts about the machine a run happened on.
 *
 * @author livesession
 */
final class Machine {

	private Machine() {
	}

	static Map<String, Object> facts(boolean full, boolean pinned) {
		Map<String, Object> facts = new LinkedHashMap<>();
		facts.put("mode", full ? "full" : "quick");
		facts.put("date", Instant.now().toString());
		facts.put("nproc", Runtime.getRuntime().availableProcessors());
		facts.put("memory", memTotal());
		facts.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		facts.put("serverJvm", String.join(" ", Server.JVM));
		facts.put("pinning", pinned ? "servers on CPU 0, load generator on CPU 1 (taskset)" : "none");
		facts.put("openFilesLimit", openFiles());
		facts.put("client", "JDK java.net.http WebSocket, 2 HttpClients, 3 listener threads");
		facts.put("schedAutogroup", firstLine("/proc/sys/kernel/sched_autogroup_enabled"));
		return facts;
	}

	/**
	 * The time the hypervisor ran something else while this machine's CPUs wanted to run
	 * (steal), summed over the CPUs since boot: on a virtual machine a pause of the host
	 * stalls every thread on the CPU, whatever it is doing, so a latency tail can be set
	 * against the steal within it.
	 * @return milliseconds, or -1 when unknown
	 */
	static long stealMillis() {
		try {
			String[] fields = firstLine("/proc/stat").trim().split("\\s+");
			// cpu user nice system idle iowait irq softirq steal ..., in USER_HZ (100).
			return Long.parseLong(fields[8]) * 10;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	/**
	 * CPU time of a process's threads whose names start with one of the prefixes (JIT
	 * compiler threads {@code C1 CompilerThre}/{@code C2 CompilerThre}, GC threads), read
	 * from {@code /proc} so that measuring a server runs none of its code: an HTTP
	 * statistics call between P5's steps sent the servers' shared paths (Jackson, the
	 * observation, the filter chain) new types, and they deoptimized and compiled again
	 * in the next measured step.
	 * @param pid the process
	 * @param prefixes thread name prefixes
	 * @return milliseconds (10 ms resolution), or -1 when unknown
	 */
	static long threadCpuMillis(long pid, String... prefixes) {
		Path tasks = Path.of("/proc/" + pid + "/task");
		try (Stream<Path> threads = Files.list(tasks)) {
			long ticks = 0;
			for (Path thread : threads.toList()) {
				String name = firstLine(thread.resolve("comm").toString());
				if (Arrays.stream(prefixes).noneMatch(name::startsWith)) {
					continue;
				}
				String stat = firstLine(thread.resolve("stat").toString());
				int nameEnd = stat.lastIndexOf(')');
				if (nameEnd < 0) {
					// The thread ended since the listing.
					continue;
				}
				// pid (comm) state ...: utime and stime are the 12th and 13th fields
				// after the name, which may contain spaces.
				String[] fields = stat.substring(nameEnd + 2).split(" ");
				ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			// USER_HZ is 100 on Linux.
			return ticks * 10;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static String firstLine(String file) {
		try {
			return Files.readAllLines(Path.of(file)).get(0);
		}
		catch (Exception ex) {
			return "unknown";
		}
	}

	private static String memTotal() {
		return firstLine("/proc/meminfo").replaceAll("\\s+", " ").replace("MemTotal: ", "");
	}

	private static String openFiles() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
				if (line.startsWith("Max open files")) {
					return line.replaceAll("\\s+", " ").replace("Max open files ", "");
				}
			}
		}
		catch (Exception ex) {
			// Not Linux.
		}
		return "unknown";
	}

}
