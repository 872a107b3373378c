package io.livesession.autoconfigure.web;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import io.livesession.ActionData;
import io.livesession.ConnectInterceptor;
import io.livesession.ConnectionRejectedException;
import io.livesession.GroupAttribute;
import io.livesession.GroupInitializer;
import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.LiveController;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The application the integration tests run: Spring Security with HTTP Basic (every
 * request permitted, so anonymous browsers work too) and method security, three users, a
 * connect hook and test actions.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import({ LiveTestApplication.TestActions.class, LiveTestApplication.AdminActions.class })
class LiveTestApplication {

	static final String PASSWORD = "password";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	@Bean
	UserDetailsService users() {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}" + PASSWORD).roles("USER").build(),
				User.withUsername("bob").password("{noop}" + PASSWORD).roles("USER").build(),
				User.withUsername("admin").password("{noop}" + PASSWORD).roles("USER", "ADMIN").build());
		// Not a UserDetailsPasswordService bean: Spring Security would re-encode {noop}
		// with BCrypt at the first login and hash every later one, a tenth of a second
		// per handshake here.
		return users::loadUserByUsername;
	}

	@Bean
	GroupInitializer counterInitializer() {
		return (state) -> state.setAttribute("counter", new MutableCounter());
	}

	/**
	 * Rejects a handshake carrying {@code X-Reject}; copies {@code X-Tenant} into a
	 * connection value.
	 */
	@Bean
	ConnectInterceptor tenantHook() {
		return (request) -> {
			String reject = request.getRequest().getHeaders().getFirst("X-Reject");
			if (reject != null) {
				throw new ConnectionRejectedException("rejected: " + reject);
			}
			String tenant = request.getRequest().getHeaders().getFirst("X-Tenant");
			if (tenant != null) {
				request.getAttributes().put("tenant", tenant);
			}
		};
	}

	/**
	 * A mutable group attribute, written back after the handler changed it.
	 */
	public static class MutableCounter {

		public int count;

	}

	/**
	 * Typed action data.
	 *
	 * @param value the amount
	 */
	public record Amount(int value) {

	}

	@LiveController
	static class TestActions {

		@LiveAction("increment")
		MutableCounter increment(@GroupAttribute("counter") MutableCounter counter) {
			counter.count++;
			return counter;
		}

		@LiveAction("add")
		int add(@GroupAttribute("counter") MutableCounter counter, @ActionData(required = true) Amount amount) {
			counter.count += amount.value();
			return counter.count;
		}

		@LiveAction("echo")
		@Nullable JsonNode echo(@Nullable JsonNode data) {
			return data;
		}

		@LiveAction("put")
		void put(GroupState state, Map<String, @Nullable Object> data) {
			data.forEach(state::setAttribute);
		}

		@LiveAction("fail")
		void fail() {
			throw new IllegalStateException("secret-db-password at Foo.java:42");
		}

		@LiveAction("failAfterChange")
		void failAfterChange(GroupState state) {
			state.setAttribute("counter", Map.of("count", -1));
			throw new IllegalStateException("boom");
		}

		@LiveAction("refuse")
		void refuse(GroupState state) {
			state.setAttribute("counter", Map.of("count", -2));
			throw LiveActionException.badRequest("refused on purpose");
		}

		@LiveAction("whoami")
		Map<String, @Nullable Object> whoami(LiveConnection connection, @Nullable Principal principal) {
			Map<String, @Nullable Object> result = new LinkedHashMap<>();
			result.put("userId", connection.getUserId());
			result.put("groupId", connection.getGroupId());
			result.put("tenant", connection.getAttribute("tenant"));
			result.put("principal", (principal != null) ? principal.getName() : null);
			result.put("authorities", connection.getAuthorities());
			return result;
		}

	}

	/**
	 * Actions guarded by method security: the bean is a proxy, and the connection's
	 * authentication is the security context while they run.
	 */
	@LiveController
	static class AdminActions {

		@PreAuthorize("hasRole('ADMIN')")
		@LiveAction("adminReset")
		public int adminReset(@GroupAttribute("counter") MutableCounter counter) {
			counter.count = 100;
			return counter.count;
		}

		@PreAuthorize("isAuthenticated()")
		@LiveAction("securityContext")
		public @Nullable String securityContext() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return (authentication != null) ? authentication.getName() : null;
		}

	}

}
