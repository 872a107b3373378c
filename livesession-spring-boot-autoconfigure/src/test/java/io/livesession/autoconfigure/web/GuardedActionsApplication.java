package io.livesession.autoconfigure.web;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveController;
import io.livesession.event.LiveActionDeniedEvent;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.prepost.PostAuthorize;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application with one action per method-security annotation and, on its own,
 * <em>no</em> {@code @EnableMethodSecurity}: the test classes add
 * {@link GuardedActionsMethodSecurity} and pick the server to cover the matrix. Every
 * evaluation of a guard is counted, to show that each one runs exactly once per call.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(GuardedActionsApplication.GuardedActions.class)
class GuardedActionsApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}" + LiveTestApplication.PASSWORD).roles("USER").build(),
				User.withUsername("admin")
					.password("{noop}" + LiveTestApplication.PASSWORD)
					.roles("USER", "ADMIN")
					.build());
	}

	@Bean
	Evaluations evaluations() {
		return new Evaluations();
	}

	/**
	 * Counts the authority checks of {@code @Secured} and {@code @RolesAllowed}: both
	 * Spring Security's method security and livesession use the role hierarchy bean.
	 */
	@Bean
	CountingRoleHierarchy roleHierarchy() {
		return new CountingRoleHierarchy();
	}

	@Bean
	DeniedEvents deniedEvents() {
		return new DeniedEvents();
	}

	/**
	 * Counts the evaluations of the {@code @PreAuthorize} and {@code @PostAuthorize}
	 * expressions.
	 */
	static class Evaluations {

		final AtomicInteger count = new AtomicInteger();

		public boolean admin(Authentication authentication) {
			this.count.incrementAndGet();
			return authentication.getAuthorities().stream().anyMatch((a) -> "ROLE_ADMIN".equals(a.getAuthority()));
		}

	}

	static class CountingRoleHierarchy implements RoleHierarchy {

		final AtomicInteger count = new AtomicInteger();

		@Override
		public Collection<? extends GrantedAuthority> getReachableGrantedAuthorities(
				Collection<? extends GrantedAuthority> authorities) {
			this.count.incrementAndGet();
			return authorities;
		}

	}

	static class DeniedEvents implements ApplicationListener<LiveActionDeniedEvent> {

		final List<LiveActionDeniedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(LiveActionDeniedEvent event) {
			this.events.add(event);
		}

	}

	/**
	 * One action per annotation; each counts its runs and the group's {@code hits}.
	 */
	@LiveController
	static class GuardedActions {

		private final AtomicInteger runs = new AtomicInteger();

		/**
		 * How often an action ran; a method, as the bean may be a proxy.
		 * @return the count
		 */
		public int runs() {
			return this.runs.get();
		}

		@PreAuthorize("@evaluations.admin(authentication)")
		@LiveAction("pre")
		public int pre(GroupState state) {
			return hit(state);
		}

		@PostAuthorize("@evaluations.admin(authentication)")
		@LiveAction("post")
		public int post(GroupState state) {
			return hit(state);
		}

		@Secured("ROLE_ADMIN")
		@LiveAction("secured")
		public int secured(GroupState state) {
			return hit(state);
		}

		@RolesAllowed("ADMIN")
		@LiveAction("rolesAllowed")
		public int rolesAllowed(GroupState state) {
			return hit(state);
		}

		@LiveAction("ping")
		public String ping() {
			return "pong";
		}

		private int hit(GroupState state) {
			this.runs.incrementAndGet();
			Integer hits = state.getAttribute("hits", Integer.class);
			int next = ((hits != null) ? hits : 0) + 1;
			state.setAttribute("hits", next);
			return next;
		}

	}

}
