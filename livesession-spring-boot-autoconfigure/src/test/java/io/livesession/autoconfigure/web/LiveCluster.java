package io.livesession.autoconfigure.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisClusterTestServer;
import io.livesession.test.RedisTestServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Instances of the test application sharing one private Redis, each on its own port.
 */
final class LiveCluster implements AutoCloseable {

	/** The Redis properties of every instance: one server, or the nodes of a cluster. */
	private final List<String> redisProperties;

	private final String keyPrefix = "test-" + UUID.randomUUID() + ":";

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final List<ForkedInstance> forks = new ArrayList<>();

	LiveCluster(RedisTestServer redis) {
		this.redisProperties = List.of("spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port());
	}

	LiveCluster(RedisClusterTestServer redis) {
		this.redisProperties = List.of("spring.data.redis.cluster.nodes=" + redis.nodes());
	}

	ConfigurableApplicationContext start(String... properties) {
		return start(LiveTestApplication.class, properties);
	}

	ConfigurableApplicationContext start(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.run(arguments(0, properties).toArray(String[]::new));
		this.instances.add(context);
		return context;
	}

	/**
	 * Start an instance in a JVM of its own, which a test can kill like a crashed server.
	 * @param properties extra properties
	 * @return the instance
	 */
	ForkedInstance fork(String... properties) {
		return fork(LiveTestApplication.class, properties);
	}

	/**
	 * Start an application in a JVM of its own, which a test can kill like a crashed
	 * server.
	 * @param application the application class
	 * @param properties extra properties
	 * @return the instance
	 */
	ForkedInstance fork(Class<?> application, String... properties) {
		int port = freePort();
		ForkedInstance instance = ForkedInstance.start(application, port, arguments(port, properties));
		this.forks.add(instance);
		return instance;
	}

	private List<String> arguments(int port, String... properties) {
		List<String> all = new ArrayList<>(
				List.of("server.port=" + port, "spring.main.banner-mode=off", "livesession.store=redis",
						"spring.data.redis.timeout=1s", "livesession.redis.key-prefix=" + this.keyPrefix,
						"livesession.redis.channel=" + this.keyPrefix + "ch"));
		all.addAll(this.redisProperties);
		all.addAll(List.of(properties));
		// As arguments: they must win over the tests' application.properties.
		return all.stream().map((property) -> "--" + property).toList();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A client on an instance, with a cookie header.
	 * @param instance the instance
	 * @param cookie the cookie header, or {@code null}
	 * @return the connected client
	 */
	static LiveTestClient connect(ConfigurableApplicationContext instance, String cookie) {
		return LiveTestClient.connect(port(instance), cookie);
	}

	/**
	 * A client on an instance, signed in with HTTP Basic as a test user.
	 * @param instance the instance
	 * @param user the user
	 * @return the connected client
	 */
	static LiveTestClient connectUser(ConfigurableApplicationContext instance, String user) {
		return LiveTestClient.connect(URI.create("ws://127.0.0.1:" + port(instance) + "/live"),
				Map.of("Authorization", UserGroupsIntegrationTests.basic(user)));
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	String keyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public void close() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.forks.forEach(ForkedInstance::close);
	}

}
