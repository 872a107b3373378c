package io.livesession.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import io.livesession.BroadcastTarget;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.delivery.LocalDelivery;
import io.livesession.registry.ConnectionRegistries;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Registry lookup and target matching on the in-memory registry: connections in groups of
 * 10 and users of 3, as in the P2 scenario.
 *
 * @author livesession
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegistryBenchmark {

	@Param({ "1000", "20000" })
	int connections;

	private ConnectionRegistry registry;

	private LocalDelivery delivery;

	private final Frame frame = Frame.text("{\"t\":0}");

	private final BroadcastTarget group = BroadcastTarget.groups("g-42");

	private final BroadcastTarget user = BroadcastTarget.users("u-42");

	private int next;

	@Setup
	public void setUp() {
		this.registry = ConnectionRegistries.inMemory();
		for (int i = 0; i < this.connections; i++) {
			this.registry.register(new StubConnection("c-" + i, "u-" + (i / 3), "g-" + (i / 10)));
		}
		this.delivery = new LocalDelivery(this.registry);
	}

	@Benchmark
	public Object findConnection() {
		this.next = (this.next + 1) % this.connections;
		return this.registry.find("c-" + this.next);
	}

	@Benchmark
	public int findByGroup() {
		return this.registry.findByGroup("g-42").size();
	}

	@Benchmark
	public int matchGroupTarget() {
		return this.delivery.deliver(this.group, this.frame);
	}

	@Benchmark
	public int matchUserTarget() {
		return this.delivery.deliver(this.user, this.frame);
	}

}
