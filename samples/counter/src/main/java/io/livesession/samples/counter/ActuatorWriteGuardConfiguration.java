package io.livesession.samples.counter;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Anonymous Actuator writes get 403: the counter has no administrator to allow them. Kept
 * apart from {@link CounterApplication}, which stays as the getting-started guide shows
 * it.
 *
 * @author livesession
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class ActuatorWriteGuardConfiguration {

	@Bean
	FilterRegistrationBean<ActuatorWriteGuard> actuatorWriteGuard() {
		FilterRegistrationBean<ActuatorWriteGuard> registration = new FilterRegistrationBean<>(
				new ActuatorWriteGuard());
		registration.addUrlPatterns("/actuator/*");
		return registration;
	}

}
