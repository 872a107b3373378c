package io.livesession.samples.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Form login (with CSRF) and the demo-only users {@code alice}, {@code bob} and
 * {@code admin}, all with password {@code password}. The Actuator's write operations
 * ({@code management.endpoint.livesession.access=unrestricted}) are for {@code admin}
 * alone.
 *
 * @author livesession
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SampleSecurity {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		// The handshake itself is checked by livesession.require-authentication (401).
		// Actuator: reads are open (a demo), writes (disconnect, erase) need ROLE_ADMIN,
		// and an anonymous caller gets 401 rather than the login page. /error is open so
		// that a refusal's status (403 for a missing CSRF token) is not turned into a
		// redirect to the login page.
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, "/actuator/**")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole("ADMIN")
				.requestMatchers("/live", "/livesession/**", "/error")
				.permitAll()
				.anyRequest()
				.authenticated())
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
					new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
					PathPatternRequestMatcher.pathPattern("/actuator/**")))
			.formLogin(Customizer.withDefaults())
			.logout(Customizer.withDefaults())
			.build();
	}

	@Bean
	UserDetailsService users() {
		// Demo only: plain-text passwords in memory.
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}password").roles("USER").build(),
				User.withUsername("bob").password("{noop}password").roles("USER").build(),
				User.withUsername("admin").password("{noop}password").roles("USER", "ADMIN").build());
	}

}
