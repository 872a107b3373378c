package io.livesession.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The one scheduler of livesession's periodic jobs: heartbeats, group maintenance, the
 * HTTP session check, the send watchdog and credential expiry. The jobs are short (the
 * pings and closes they start run on the send pool), so two threads serve them all.
 *
 * <p>
 * Not a default candidate: an application that asks for a {@link TaskScheduler} by type
 * still gets its own or Spring Boot's, and Boot's scheduling auto-configuration does not
 * back off because of this one. An application replaces it with a bean of the same name.
 *
 * @author livesession
 */
@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

	/** The name of livesession's scheduler bean, to inject it by qualifier. */
	static final String TASK_SCHEDULER = "livesessionTaskScheduler";

	@Bean(name = TASK_SCHEDULER, defaultCandidate = false)
	@ConditionalOnMissingBean(name = TASK_SCHEDULER)
	ThreadPoolTaskScheduler livesessionTaskScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix("livesession-scheduler-");
		scheduler.setDaemon(true);
		scheduler.setRemoveOnCancelPolicy(true);
		// The send watchdog and the heartbeats must keep running while the connections
		// drain at shutdown: the scheduler stops after every livesession bean, when the
		// context destroys it, not early on the context-closed event.
		scheduler.setAcceptTasksAfterContextClose(true);
		scheduler.setPhase(Integer.MIN_VALUE);
		return scheduler;
	}

}
