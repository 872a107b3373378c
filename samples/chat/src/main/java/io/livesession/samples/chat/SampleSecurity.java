package io.livesession.samples.chat;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Form login (with CSRF) and the demo-only users {@code alice}, {@code bob} and
 * {@code admin}, all with password {@code password}.
 *
 * @author livesession
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SampleSecurity {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		// The handshake itself is checked by livesession.require-authentication (401).
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/live", "/actuator/**", "/livesession/**")
				.permitAll()
				.anyRequest()
				.authenticated())
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
