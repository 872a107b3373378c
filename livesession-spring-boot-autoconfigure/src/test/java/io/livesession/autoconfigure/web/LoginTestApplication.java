package io.livesession.autoconfigure.web;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.livesession.ConnectInterceptor;
import io.livesession.ConnectionRejectedException;
import io.livesession.GroupInitializer;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveController;
import io.livesession.LoginMergeHandler;
import io.livesession.event.LiveAuditEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with a person's login flow: Spring Security's default form login and
 * logout pages with CSRF protection (plus HTTP Basic), HTTP sessions in the servlet
 * container or, with {@code test.redis-sessions=true}, in Redis through Spring Session.
 * With {@code test.merge=true} a login carries the anonymous {@code cart} into the user's
 * group. Actuator's in-memory audit repository records audit events.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import({ LiveTestApplication.TestActions.class, LiveTestApplication.AdminActions.class,
		LoginTestApplication.Pages.class, LoginTestApplication.Actions.class, LoginTestApplication.CartMerge.class,
		LoginTestApplication.RedisSessions.class })
class LoginTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.formLogin(Customizer.withDefaults())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}" + LiveTestApplication.PASSWORD).roles("USER").build(),
				User.withUsername("bob").password("{noop}" + LiveTestApplication.PASSWORD).roles("USER").build(),
				User.withUsername("carol").password("{noop}" + LiveTestApplication.PASSWORD).roles("USER").build(),
				User.withUsername("admin")
					.password("{noop}" + LiveTestApplication.PASSWORD)
					.roles("USER", "ADMIN")
					.build());
	}

	@Bean
	GroupInitializer counterInitializer() {
		return (state) -> state.setAttribute("counter", new LiveTestApplication.MutableCounter());
	}

	@Bean
	AuditEventRepository auditEventRepository() {
		return new InMemoryAuditEventRepository();
	}

	@Bean
	RecordedEvents recordedEvents() {
		return new RecordedEvents();
	}

	/**
	 * Rejects a handshake carrying {@code X-Reject}.
	 */
	@Bean
	ConnectInterceptor rejectingHook() {
		return (request) -> {
			String reject = request.getRequest().getHeaders().getFirst("X-Reject");
			if (reject != null) {
				throw new ConnectionRejectedException("rejected: " + reject);
			}
		};
	}

	@RestController
	static class Pages {

		/**
		 * The authenticated user's name, empty when anonymous.
		 */
		@GetMapping("/test/me")
		String me(@Nullable Principal principal) {
			return (principal != null) ? principal.getName() : "";
		}

		@GetMapping("/test/session-timeout")
		String sessionTimeout(HttpSession session, @RequestParam int seconds) {
			session.setMaxInactiveInterval(seconds);
			return "ok";
		}

		@GetMapping("/test/invalidate")
		String invalidate(HttpServletRequest request) {
			HttpSession session = request.getSession(false);
			if (session != null) {
				session.invalidate();
			}
			return "ok";
		}

	}

	@LiveController
	static class Actions {

		@LiveAction("adminOnly")
		void adminOnly(Principal principal) {
			throw new LiveActionException(LiveActionException.FORBIDDEN, principal.getName() + " is not an admin");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("test.merge")
	static class CartMerge {

		@Bean
		LoginMergeHandler cartMerge() {
			return (anonymous, user) -> {
				JsonNode cart = anonymous.getAttributeNode("cart");
				if (cart != null) {
					user.setAttribute("cart", cart);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("test.redis-sessions")
	@EnableRedisHttpSession
	static class RedisSessions {

	}

	/**
	 * Every livesession audit event the application published, whatever the thread.
	 */
	static class RecordedEvents implements ApplicationListener<LiveAuditEvent> {

		private final List<LiveAuditEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(LiveAuditEvent event) {
			this.events.add(event);
		}

		<T extends LiveAuditEvent> List<T> all(Class<T> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).toList();
		}

		/**
		 * Wait for an event.
		 */
		<T extends LiveAuditEvent> T await(Class<T> type, Predicate<T> filter) {
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (System.nanoTime() < deadline) {
				for (T event : all(type)) {
					if (filter.test(event)) {
						return event;
					}
				}
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			throw new AssertionError("No matching " + type.getSimpleName() + " in " + all(type));
		}

	}

}
