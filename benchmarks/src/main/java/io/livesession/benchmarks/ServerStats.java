package io.livesession.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;

/**
 * The figures every benchmark server reports at {@code GET /bench/stats}: process CPU
 * time, heap (optionally after a full GC), resident set size, and the collections the
 * process has had (count and accumulated time), so that a latency tail can be set against
 * the GC pauses within it.
 *
 * @author livesession
 */
public final class ServerStats {

	private ServerStats() {
	}

	/**
	 * Current figures of this process.
	 * @param gc whether to run a full GC first so heap reads as live data
	 * @param connections the server's open connection count
	 * @return the figures by name
	 */
	public static Map<String, Object> read(boolean gc, int connections) {
		if (gc) {
			// Twice: the first pass may only queue finalizable/cleaner work.
			System.gc();
			System.gc();
		}
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("cpuNanos", os.getProcessCpuTime());
		stats.put("heapUsed", memory.getHeapMemoryUsage().getUsed());
		stats.put("rss", rss());
		stats.put("connections", connections);
		stats.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
		long collections = 0;
		long collectionMillis = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			collections += Math.max(0, collector.getCollectionCount());
			collectionMillis += Math.max(0, collector.getCollectionTime());
		}
		stats.put("gcCount", collections);
		stats.put("gcMillis", collectionMillis);
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		stats.put("compileMillis", (compiler != null && compiler.isCompilationTimeMonitoringSupported())
				? compiler.getTotalCompilationTime() : -1);
		return stats;
	}

	/**
	 * A text payload of about {@code size} bytes stamped with the send time in epoch
	 * microseconds (the only clock shared by separate processes) and its target.
	 * @param target the target label, e.g. {@code all} or {@code group:g10}
	 * @param size the payload size in bytes
	 * @return the JSON payload
	 */
	public static String payload(String target, int size) {
		String head = "{\"t\":" + epochMicros() + ",\"k\":\"" + target + "\",\"p\":\"";
		int pad = Math.max(0, size - head.length() - 2);
		return head + "x".repeat(pad) + "\"}";
	}

	/**
	 * Microseconds since the epoch, with the clock's full resolution.
	 * @return the time
	 */
	public static long epochMicros() {
		java.time.Instant now = java.time.Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

	private static long rss() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (Exception ex) {
			// Not Linux: RSS is reported as -1.
		}
		return -1;
	}

}
