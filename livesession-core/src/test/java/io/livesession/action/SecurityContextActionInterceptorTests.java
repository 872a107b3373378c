package io.livesession.action;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.TransportSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SecurityContextActionInterceptor}.
 */
class SecurityContextActionInterceptorTests {

	private final SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextActionInterceptor interceptor = new SecurityContextActionInterceptor(this.strategy);

	private final ActionHandler handler = new ActionHandler("test", new Object(),
			ReflectionUtils.findMethod(Object.class, "toString"), JsonMapper.builder().build(), List.of(), null);

	@AfterEach
	void clear() {
		this.strategy.clearContext();
	}

	@Test
	void theHandlerRunsWithTheConnectionsAuthentication() {
		Authentication alice = UsernamePasswordAuthenticationToken.authenticated("alice", null,
				AuthorityUtils.createAuthorityList("ROLE_USER"));
		AtomicReference<@Nullable Authentication> seen = new AtomicReference<>();
		this.interceptor.intercept(connection(alice, Set.of("ROLE_USER")), this.handler, () -> {
			seen.set(this.strategy.getContext().getAuthentication());
			return null;
		});
		assertThat(seen.get()).isSameAs(alice);
	}

	@Test
	void anAnonymousConnectionRunsWithAnAnonymousAuthentication() {
		AtomicReference<@Nullable Authentication> seen = new AtomicReference<>();
		this.interceptor.intercept(connection(null, Set.of()), this.handler, () -> {
			seen.set(this.strategy.getContext().getAuthentication());
			return null;
		});
		assertThat(seen.get()).isNotNull();
		assertThat(AuthorityUtils.authorityListToSet(seen.get().getAuthorities())).containsExactly("ROLE_ANONYMOUS");
	}

	@Test
	void aPrincipalThatIsNoAuthenticationIsWrappedWithTheConnectionsAuthorities() {
		Principal principal = () -> "carol";
		AtomicReference<@Nullable Authentication> seen = new AtomicReference<>();
		this.interceptor.intercept(connection(principal, Set.of("ROLE_X")), this.handler, () -> {
			seen.set(this.strategy.getContext().getAuthentication());
			return null;
		});
		assertThat(seen.get().isAuthenticated()).isTrue();
		assertThat(seen.get().getPrincipal()).isSameAs(principal);
		assertThat(AuthorityUtils.authorityListToSet(seen.get().getAuthorities())).containsExactly("ROLE_X");
	}

	@Test
	void thePreviousContextIsRestoredAfterwardsEvenOnFailure() {
		SecurityContext previous = this.strategy.createEmptyContext();
		previous.setAuthentication(new TestingAuthenticationToken("server", null, "ROLE_SYSTEM"));
		this.strategy.setContext(previous);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.interceptor.intercept(connection(null, Set.of()), this.handler, () -> {
				throw new IllegalStateException("boom");
			}));
		assertThat(this.strategy.getContext()).isSameAs(previous);
	}

	@Test
	void anEmptyContextIsNotLeftBehind() {
		this.interceptor.intercept(connection(new TestingAuthenticationToken("alice", null, "ROLE_USER"), Set.of()),
				this.handler, () -> null);
		assertThat(this.strategy.getContext().getAuthentication()).isNull();
	}

	@Test
	void accessDeniedToAUserIsForbidden() {
		Authentication alice = UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of());
		assertThatExceptionOfType(LiveActionException.class)
			.isThrownBy(() -> this.interceptor.intercept(connection(alice, Set.of()), this.handler, () -> {
				throw new AccessDeniedException("Access Denied");
			}))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(LiveActionException.FORBIDDEN));
	}

	@Test
	void accessDeniedToAnAnonymousConnectionIsUnauthorized() {
		assertThatExceptionOfType(LiveActionException.class)
			.isThrownBy(() -> this.interceptor.intercept(connection(null, Set.of()), this.handler, () -> {
				throw new AccessDeniedException("Access Denied");
			}))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(LiveActionException.UNAUTHORIZED));
	}

	@Test
	void anAuthenticationExceptionIsUnauthorized() {
		Authentication alice = UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of());
		assertThatExceptionOfType(LiveActionException.class)
			.isThrownBy(() -> this.interceptor.intercept(connection(alice, Set.of()), this.handler, () -> {
				throw new AuthenticationCredentialsNotFoundException("none");
			}))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(LiveActionException.UNAUTHORIZED));
	}

	private static LiveConnection connection(@Nullable Principal principal, Set<String> authorities) {
		String userId = (principal != null) ? principal.getName() : null;
		ConnectionInfo info = new ConnectionInfo("c1", userId, (userId != null) ? "user:" + userId : "anon:x",
				principal, authorities, null, Instant.now());
		return Delivery.connection(info, new NoTransport(), Runnable::run, 1024);
	}

	private static final class NoTransport implements TransportSession {

		@Override
		public void send(io.livesession.Frame frame) {
		}

		@Override
		public void close(int code, String reason) {
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
