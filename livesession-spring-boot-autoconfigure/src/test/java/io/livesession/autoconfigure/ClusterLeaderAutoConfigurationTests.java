package io.livesession.autoconfigure;

import java.time.Duration;

import io.livesession.redis.RedisClusterLeader;
import io.livesession.scheduling.ClusterLeader;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured {@link ClusterLeader}: always the leader in memory, a lease on
 * Redis with the shipped default of 10 s, and backing off for the application's own.
 */
class ClusterLeaderAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void inMemoryThisInstanceIsAlwaysTheLeader() {
		this.contextRunner.run((context) -> {
			ClusterLeader leader = context.getBean(ClusterLeader.class);
			assertThat(leader).isNotInstanceOf(RedisClusterLeader.class);
			assertThat(leader.isLeader()).isTrue();
			assertThat(leader.getTerm()).isOne();
			assertThat(leader.runIfLeader(() -> {
			})).isTrue();
		});
	}

	@Test
	void onRedisTheLeaderHoldsALeaseOfTenSecondsByDefault() {
		try (RedisTestServer redis = RedisTestServer.start()) {
			this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
				.withPropertyValues("livesession.store=redis", "spring.data.redis.host=" + redis.host(),
						"spring.data.redis.port=" + redis.port())
				.run((context) -> {
					RedisClusterLeader leader = context.getBean(RedisClusterLeader.class);
					assertThat(ReflectionTestUtils.getField(leader, "lease")).isEqualTo(Duration.ofSeconds(10));
					assertThat(context.getBean(LiveSessionProperties.class).getLeader().getLease())
						.isEqualTo(Duration.ofSeconds(10));
					await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
					assertThat(leader.getTerm()).isPositive();
				});
		}
	}

	@Test
	void theApplicationsOwnLeaderWins() {
		this.contextRunner.withUserConfiguration(OwnLeader.class)
			.run((context) -> assertThat(context.getBean(ClusterLeader.class)).isSameAs(context.getBean("ownLeader")));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLeader {

		@Bean
		ClusterLeader ownLeader() {
			return new ClusterLeader() {

				@Override
				public boolean isLeader() {
					return false;
				}

				@Override
				public long getTerm() {
					return 0;
				}

			};
		}

	}

}
