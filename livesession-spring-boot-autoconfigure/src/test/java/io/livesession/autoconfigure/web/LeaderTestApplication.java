package io.livesession.autoconfigure.web;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.livesession.Broadcaster;
import io.livesession.scheduling.ClusterLeader;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application with a {@code @Scheduled} broadcast that must run once per cluster: each
 * tick names the instance that sent it and numbers it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import(LeaderTestApplication.Ticker.class)
class LeaderTestApplication {

	/** How often the job runs on every instance. */
	static final long PERIOD_MILLIS = 200;

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
	}

	static class Ticker {

		private final ClusterLeader leader;

		private final Broadcaster broadcaster;

		private final String instance;

		private final AtomicLong sequence = new AtomicLong();

		Ticker(ClusterLeader leader, Broadcaster broadcaster, @Value("${test.instance}") String instance) {
			this.leader = leader;
			this.broadcaster = broadcaster;
			this.instance = instance;
		}

		@Scheduled(fixedRate = PERIOD_MILLIS)
		void tick() {
			this.leader.runIfLeader(() -> this.broadcaster
				.sendToAll(Map.of("type", "tick", "instance", this.instance, "seq", this.sequence.incrementAndGet())));
		}

	}

}
