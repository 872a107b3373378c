package io.livesession.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.livesession.test.RedisTestServer;

/**
 * P6 cross-instance: two livesession instances on a private Redis; counts the publishes a
 * broadcast costs.
 *
 * @author livesession
 */
final class P6CrossInstance {

	private final Bench bench;

	P6CrossInstance(Bench bench) {
		this.bench = bench;
	}

	void run(RedisTestServer redis, Server a, Server b) throws Exception {
		int n = this.bench.full ? 2000 : 200;
		int count = this.bench.full ? 100 : 20;
		List<Client> onA = this.bench.connect(a, n / 2, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
		List<Client> onB = this.bench.connect(b, n / 2, (i) -> "user-" + (i / 3), (i) -> "f" + (i / 10));
		List<Client> all = new ArrayList<>(onA);
		all.addAll(onB);
		this.bench.warmUp(a, all);
		Recording recording = this.bench.newRecording();
		Set<Client> across = Set.copyOf(onB);
		recording.second = across::contains;
		long publishBefore = publishCalls(redis);
		a.broadcast(count, 100, "all", 50_000, Duration.ofSeconds(120));
		Bench.awaitDeliveries(recording, (long) count * all.size(), Duration.ofSeconds(30));
		long publishes = publishCalls(redis) - publishBefore;
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("connections", all.size());
		row.put("broadcasts", count);
		row.put("deliveries", recording.deliveries.sum());
		row.put("expected", (long) count * all.size());
		Bench.latency(row, "local", recording.latency);
		Bench.latency(row, "across", recording.secondLatency);
		row.put("publishes", publishes);
		row.put("publishesPerBroadcast", publishes / (double) count);
		this.bench.results.put("P6", row);
		System.out.println("   P6 " + row);
		this.bench.disconnect(a, onA);
		this.bench.disconnect(b, onB);
	}

	private static long publishCalls(RedisTestServer redis) throws IOException {
		try (Socket socket = new Socket(redis.host(), redis.port())) {
			OutputStream output = socket.getOutputStream();
			output.write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			StringBuilder header = new StringBuilder();
			int c;
			while ((c = input.read()) != '\n') {
				header.append((char) c);
			}
			int length = Integer.parseInt(header.substring(1).trim());
			String info = new String(input.readNBytes(length + 2), StandardCharsets.UTF_8);
			for (String line : info.split("\r\n")) {
				if (line.startsWith("cmdstat_publish:calls=")) {
					return Long.parseLong(line.substring(22, line.indexOf(',')));
				}
			}
			return 0;
		}
	}

}
