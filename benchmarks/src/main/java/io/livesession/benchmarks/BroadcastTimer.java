package io.livesession.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

import org.HdrHistogram.Histogram;

/**
 * Runs {@code count} server-side broadcasts at a fixed interval and times each send call,
 * the same way for every server.
 *
 * @author livesession
 */
public final class BroadcastTimer {

	private BroadcastTimer() {
	}

	/**
	 * Broadcast and time.
	 * @param count how many broadcasts
	 * @param size payload size
	 * @param target target label
	 * @param intervalMicros pause between broadcasts
	 * @param send sends one payload, returns the number of recipients
	 * @return send-call figures in microseconds and the total recipients
	 */
	public static Map<String, Object> run(int count, int size, String target, long intervalMicros,
			ToIntFunction<String> send) {
		Histogram histogram = new Histogram(60_000_000L, 3);
		long recipients = 0;
		long next = System.nanoTime();
		for (int i = 0; i < count; i++) {
			String payload = ServerStats.payload(target, size);
			long start = System.nanoTime();
			recipients += send.applyAsInt(payload);
			histogram.recordValue(Math.max(0, (System.nanoTime() - start) / 1000));
			next += intervalMicros * 1000;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("recipients", recipients);
		result.put("sendP50Us", histogram.getValueAtPercentile(50));
		result.put("sendP99Us", histogram.getValueAtPercentile(99));
		result.put("sendMaxUs", histogram.getMaxValue());
		result.put("sendMeanUs", histogram.getMean());
		return result;
	}

}
