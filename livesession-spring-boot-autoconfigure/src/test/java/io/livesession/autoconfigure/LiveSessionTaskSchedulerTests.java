package io.livesession.autoconfigure;

import io.livesession.delivery.Heartbeats;
import io.livesession.delivery.SendPool;
import io.livesession.group.GroupMaintenance;
import io.livesession.revocation.HttpSessionMonitor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the scheduler of livesession's periodic jobs.
 *
 * @author livesession
 */
class LiveSessionTaskSchedulerTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void everyPeriodicJobRunsOnTheOneLivesessionScheduler() {
		this.contextRunner.run((context) -> {
			ThreadPoolTaskScheduler scheduler = context.getBean("livesessionTaskScheduler",
					ThreadPoolTaskScheduler.class);
			assertThat(scheduler.isDaemon()).isTrue();
			assertThat(scheduler.getPoolSize()).isEqualTo(2);
			assertThat(ReflectionTestUtils.getField(context.getBean(Heartbeats.class), "scheduler"))
				.isSameAs(scheduler);
			assertThat(schedulerOfJob(context.getBean(GroupMaintenance.class))).isSameAs(scheduler);
			assertThat(schedulerOfJob(context.getBean(HttpSessionMonitor.class))).isSameAs(scheduler);
			assertThat(ReflectionTestUtils.getField(context.getBean(SendPool.class), "ownedScheduler")).isNull();
			assertThat(context.getBean(GroupMaintenance.class).isRunning()).isTrue();
		});
	}

	@Test
	void theSchedulerIsNotTheApplicationsDefaultTaskScheduler() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(SchedulingApplication.class)
			.run((context) -> {
				// Spring Boot's scheduler does not back off because of livesession's.
				assertThat(context).hasBean("taskScheduler");
				assertThat(context.getBeanProvider(TaskScheduler.class).getIfUnique())
					.isSameAs(context.getBean("taskScheduler"));
			});
	}

	@Test
	void theSchedulerShutsDownWithTheContext() {
		this.contextRunner.run((context) -> {
			ThreadPoolTaskScheduler scheduler = context.getBean("livesessionTaskScheduler",
					ThreadPoolTaskScheduler.class);
			context.close();
			assertThat(scheduler.getScheduledExecutor().isShutdown()).isTrue();
		});
	}

	private static @Nullable Object schedulerOfJob(Object job) {
		return ReflectionTestUtils.getField(job, "scheduler");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingApplication {

	}

}
