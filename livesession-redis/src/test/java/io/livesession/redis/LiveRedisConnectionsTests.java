package io.livesession.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link LiveRedisConnections}: a copy of the application's Lettuce client with
 * livesession's command timeout, everything else kept. No Redis is needed: nothing
 * connects.
 */
class LiveRedisConnectionsTests {

	@Test
	void theCopyKeepsTheApplicationsClientSettingsAndBoundsEveryCommand() throws Exception {
		ClientResources resources = DefaultClientResources.create();
		LettuceClientConfiguration application = LettuceClientConfiguration.builder()
			.useSsl()
			.verifyPeer(SslVerifyMode.CA)
			.startTls()
			.and()
			.clientResources(resources)
			.clientName("app")
			.readFrom(ReadFrom.REPLICA_PREFERRED)
			.commandTimeout(Duration.ofSeconds(60))
			.shutdownTimeout(Duration.ofMillis(300))
			.shutdownQuietPeriod(Duration.ofMillis(30))
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("redis.example", 6380), application);
		factory.setDatabase(3);
		LiveRedisConnections connections = LiveRedisConnections.create(factory, Duration.ofMillis(1500));
		try {
			assertThat(connections.getConnectionFactory()).isNotSameAs(factory)
				.isInstanceOf(LettuceConnectionFactory.class);
			LettuceConnectionFactory own = (LettuceConnectionFactory) connections.getConnectionFactory();
			assertThat(own.getHostName()).isEqualTo("redis.example");
			assertThat(own.getPort()).isEqualTo(6380);
			assertThat(own.getDatabase()).isEqualTo(3);
			LettuceClientConfiguration copy = own.getClientConfiguration();
			assertThat(copy.isUseSsl()).isTrue();
			assertThat(copy.isVerifyPeer()).isTrue();
			assertThat(copy.getVerifyMode()).isEqualTo(SslVerifyMode.CA);
			assertThat(copy.isStartTls()).isTrue();
			ClientResources copied = copy.getClientResources().orElseThrow();
			assertThat(copied).as("a view with its own reconnect delay").isNotSameAs(resources);
			assertThat(copied.shutdown().getNow()).as("the view owns nothing to shut down").isTrue();
			assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
			assertThat(copied.eventExecutorGroup()).as("sharing the application's threads")
				.isSameAs(resources.eventExecutorGroup());
			assertThat(copied.timer()).isSameAs(resources.timer());
			Delay delay = copied.reconnectDelay();
			for (int attempt = 1; attempt < 40; attempt++) {
				assertThat(delay.createDelay(attempt)).as("reconnect delay of attempt %d", attempt)
					.isLessThanOrEqualTo(LiveRedisConnections.RECONNECT_DELAY_MAX);
			}
			assertThat(resources.reconnectDelay().createDelay(20)).as("the application's is left as it is")
				.isGreaterThan(LiveRedisConnections.RECONNECT_DELAY_MAX);
			assertThat(copy.getClientName()).contains("app");
			assertThat(copy.getReadFrom()).containsSame(ReadFrom.REPLICA_PREFERRED);
			assertThat(copy.getShutdownTimeout()).isEqualTo(Duration.ofMillis(300));
			assertThat(copy.getShutdownQuietPeriod()).isEqualTo(Duration.ofMillis(30));
			assertThat(copy.getCommandTimeout()).as("the handshake keeps the application's timeout")
				.isEqualTo(Duration.ofSeconds(60));
			ClientOptions options = copy.getClientOptions().orElseThrow();
			assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
			TimeoutOptions.TimeoutSource timeout = options.getTimeoutOptions().getSource();
			assertThat(timeout.getTimeUnit().toMillis(timeout.getTimeout(null))).isEqualTo(1500);
			assertThat(connections.getCommandTimeout()).isEqualTo(Duration.ofMillis(1500));
		}
		finally {
			connections.destroy();
			resources.shutdown();
		}
	}

	@Test
	void anyOtherFactoryIsUsedAsItIs() throws Exception {
		RedisConnectionFactory application = mock(RedisConnectionFactory.class);
		LiveRedisConnections connections = LiveRedisConnections.create(application, Duration.ofSeconds(2));
		assertThat(connections.getConnectionFactory()).isSameAs(application);
		connections.destroy();
	}

}
