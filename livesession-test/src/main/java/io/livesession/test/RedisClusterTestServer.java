package io.livesession.test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A private Redis Cluster for tests: {@code masters} masters with one replica each, as
 * {@code redis-server --cluster-enabled yes} processes on free loopback ports, joined
 * with {@code redis-cli --cluster create}. Processes rather than containers even when
 * Docker runs: a cluster's nodes announce their addresses to clients, which a container
 * network would have to be configured to make reachable. Fails loudly when
 * {@code redis-server} or {@code redis-cli} is missing; never a silent skip.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisClusterTestServer implements AutoCloseable {

	private final Path directory;

	private final List<Node> nodes = new ArrayList<>();

	private RedisClusterTestServer(Path directory) {
		this.directory = directory;
	}

	/**
	 * Start a cluster of three masters with a replica each.
	 * @return the running cluster, every slot served
	 */
	public static RedisClusterTestServer start() {
		return start(3);
	}

	/**
	 * Start a cluster.
	 * @param masters how many masters (at least three, as Redis requires)
	 * @return the running cluster, every slot served
	 */
	public static RedisClusterTestServer start(int masters) {
		for (String command : List.of("redis-server", "redis-cli")) {
			if (!onPath(command)) {
				throw new IllegalStateException("These tests need a Redis Cluster: no '" + command
						+ "' on the PATH. Install Redis, e.g. 'apt-get install redis-server'.");
			}
		}
		RedisClusterTestServer cluster;
		try {
			cluster = new RedisClusterTestServer(Files.createTempDirectory("redis-cluster-test"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a directory for the cluster", ex);
		}
		try {
			for (int i = 0; i < masters * 2; i++) {
				cluster.nodes.add(cluster.startNode(i));
			}
			for (Node node : cluster.nodes) {
				node.awaitPing();
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			cluster.nodes.forEach((node) -> create.add("127.0.0.1:" + node.port()));
			create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			cluster.run(create, "cluster-create.log");
			cluster.awaitState("cluster_state:ok");
			cluster.awaitReplicasInSync();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * The nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code 127.0.0.1:port} of every node, comma-separated
	 */
	public String nodes() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
	}

	/**
	 * The port of every node, masters and replicas.
	 * @return the ports
	 */
	public List<Integer> ports() {
		return this.nodes.stream().map(Node::port).toList();
	}

	/**
	 * Ask a node something with {@code redis-cli}.
	 * @param port the node's port
	 * @param arguments the command and its arguments
	 * @return what it answered
	 */
	public String cli(int port, String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
		command.addAll(List.of(arguments));
		return run(command, "cli.log");
	}

	/**
	 * The port of the master that serves a key now.
	 * @param key the key
	 * @return the master's port
	 */
	public int masterOf(String key) {
		int slot = Integer.parseInt(cli(alivePort(), "cluster", "keyslot", key).trim());
		for (String line : cli(alivePort(), "cluster", "nodes").split("\n")) {
			String[] fields = line.trim().split(" ");
			if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
				continue;
			}
			for (int i = 8; i < fields.length; i++) {
				String[] range = fields[i].split("-");
				int from = Integer.parseInt(range[0]);
				int to = (range.length > 1) ? Integer.parseInt(range[1]) : from;
				if (slot >= from && slot <= to) {
					return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).replaceAll("[@,].*", ""));
				}
			}
		}
		throw new IllegalStateException("No master serves slot " + slot);
	}

	/**
	 * Wait until every replica of a master has every write the master has: Redis
	 * replicates asynchronously, so a write acknowledged just before its master dies may
	 * be lost with it; a test of what a failover keeps waits for this first.
	 * @param masterPort the master's port
	 */
	public void awaitReplicated(int masterPort) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		String info = "";
		while (System.nanoTime() < deadline) {
			info = cli(masterPort, "info", "replication");
			long offset = -1;
			boolean replicas = false;
			boolean behind = false;
			for (String line : info.split("\\r?\\n")) {
				if (line.startsWith("master_repl_offset:")) {
					offset = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
			}
			for (String line : info.split("\\r?\\n")) {
				if (line.matches("slave\\d+:.*")) {
					replicas = true;
					String value = line.replaceAll(".*offset=(\\d+).*", "$1");
					behind |= Long.parseLong(value) < offset;
				}
			}
			if (offset >= 0 && replicas && !behind) {
				return;
			}
			sleep(20);
		}
		throw new IllegalStateException("The replicas of " + masterPort + " did not catch up: " + info);
	}

	/**
	 * Kill a node at once (SIGKILL), as a crashed master.
	 * @param port the node's port
	 */
	public void kill(int port) {
		for (Node node : this.nodes) {
			if (node.port() == port) {
				node.process().destroyForcibly();
				waitFor(node.process());
			}
		}
	}

	private int alivePort() {
		for (Node node : this.nodes) {
			if (node.process().isAlive()) {
				return node.port();
			}
		}
		throw new IllegalStateException("No node of the cluster is running");
	}

	private Node startNode(int index) {
		Path dir = this.directory.resolve("node-" + index);
		try {
			Files.createDirectories(dir);
			int port = freeClusterPort();
			Process process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "2000", "--save", "", "--appendonly", "yes", "--dir", dir.toString()))
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("redis.log").toFile())
				.start();
			return new Node(port, process);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start redis-server in " + dir, ex);
		}
	}

	/** A free port whose cluster bus port (port + 10000) is free too. */
	private static int freeClusterPort() throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			if (port + 10000 > 65535) {
				continue;
			}
			try (ServerSocket bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
				return port;
			}
			catch (IOException ex) {
				// Taken: try another.
			}
		}
		throw new IllegalStateException("No free port pair for a cluster node");
	}

	private void awaitState(String expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		String info = "";
		while (System.nanoTime() < deadline) {
			info = cli(alivePort(), "cluster", "info");
			if (info.contains(expected)) {
				return;
			}
			sleep(100);
		}
		throw new IllegalStateException("The cluster did not reach " + expected + ": " + info);
	}

	/**
	 * Every replica has finished its first synchronization: until then a replica whose
	 * master dies cannot take over ("disconnected from master for longer than allowed"),
	 * and a failover test would find the cluster down for good.
	 */
	private void awaitReplicasInSync() {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (Node node : this.nodes) {
			while (true) {
				String info = cli(node.port(), "info", "replication");
				if (info.contains("role:master") || info.contains("master_link_status:up")) {
					break;
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Replica " + node.port() + " did not synchronize: " + info);
				}
				sleep(100);
			}
		}
	}

	private String run(List<String> command, String logName) {
		try {
			Path output = Files.createTempFile(this.directory, "out", ".txt");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out: " + command);
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			Files.delete(output);
			Files.writeString(this.directory.resolve(logName), command + "\n" + text, StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(command + " failed: " + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted: " + command, ex);
		}
	}

	private static boolean onPath(String name) {
		String path = System.getenv("PATH");
		for (String dir : (path != null) ? path.split(File.pathSeparator) : new String[0]) {
			if (new File(dir, name).canExecute()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void close() {
		for (Node node : this.nodes) {
			node.process().destroyForcibly();
		}
		this.nodes.forEach((node) -> waitFor(node.process()));
	}

	private static void waitFor(Process process) {
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Node(int port, Process process) {

		void awaitPing() {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (System.nanoTime() < deadline) {
				try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
					return;
				}
				catch (IOException ex) {
					sleep(20);
				}
			}
			throw new IllegalStateException("redis-server did not start on port " + this.port);
		}

	}

}
