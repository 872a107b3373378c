package io.livesession.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A private Redis ({@link RedisTestServer}) for the tests of one class, with the
 * connection factories its tests need. Register it as a static field:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final RedisTestConnections redis = new RedisTestConnections();
 * </pre>
 *
 * The server starts before the class's first test and stops after its last; every factory
 * handed out is started, and destroyed after the test that asked for it (after the test's
 * own {@code @AfterEach} methods).
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisTestConnections implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

	private final List<LettuceConnectionFactory> factories = new CopyOnWriteArrayList<>();

	private @Nullable RedisTestServer server;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.server = RedisTestServer.start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		for (LettuceConnectionFactory factory : this.factories) {
			factory.destroy();
		}
		this.factories.clear();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		afterEach(context);
		if (this.server != null) {
			this.server.close();
			this.server = null;
		}
	}

	/**
	 * The running server.
	 * @return the server
	 */
	public RedisTestServer server() {
		if (this.server == null) {
			throw new IllegalStateException("Register RedisTestConnections as a static @RegisterExtension field");
		}
		return this.server;
	}

	/**
	 * A new, started connection factory for the server.
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory() {
		return connectionFactory(server());
	}

	/**
	 * A new, started connection factory for another server, destroyed like the others.
	 * @param server the server
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(RedisTestServer server) {
		return start(new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port())));
	}

	/**
	 * A new, started connection factory for another server whose commands fail after the
	 * given timeout, destroyed like the others.
	 * @param server the server
	 * @param commandTimeout how long a command waits
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory(RedisTestServer server, Duration commandTimeout) {
		return start(new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()),
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build()));
	}

	/**
	 * A template on a new connection factory.
	 * @return the template
	 */
	public StringRedisTemplate template() {
		return new StringRedisTemplate(connectionFactory());
	}

	/**
	 * A started connection factory for an address where no Redis listens, whose commands
	 * fail after the given timeout.
	 * @param commandTimeout how long a command waits
	 * @return the factory
	 */
	public LettuceConnectionFactory unreachable(Duration commandTimeout) {
		return start(new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1),
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build()));
	}

	private LettuceConnectionFactory start(LettuceConnectionFactory factory) {
		factory.afterPropertiesSet();
		factory.start();
		this.factories.add(factory);
		return factory;
	}

}
