package io.livesession.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.delivery.Delivery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payload encoding through the {@link Broadcaster}: an object serialized once per
 * broadcast and a string passed through, to a channel that drops the frame.
 *
 * @author livesession
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncodingBenchmark {

	private Broadcaster broadcaster;

	private final Quote quote = new Quote("ACME", 123.45, List.of(1L, 2L, 3L), "x".repeat(40));

	private final String text = "{\"symbol\":\"ACME\",\"price\":123.45,\"ticks\":[1,2,3],\"note\":\"" + "x".repeat(40)
			+ "\"}";

	@Setup
	public void setUp() {
		this.broadcaster = Delivery.broadcaster(JsonMapper.builder().build(), (target, frame) -> 1);
	}

	@Benchmark
	public int encodeObject() {
		return this.broadcaster.send(BroadcastTarget.all(), this.quote);
	}

	@Benchmark
	public int passString() {
		return this.broadcaster.send(BroadcastTarget.all(), this.text);
	}

	/**
	 * A typical small payload.
	 *
	 * @param symbol the symbol
	 * @param price the price
	 * @param ticks the ticks
	 * @param note a note
	 */
	public record Quote(String symbol, double price, List<Long> ticks, String note) {
	}

}
