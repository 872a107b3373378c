package io.livesession.action;

import java.security.Principal;

import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.StringUtils;

/**
 * Runs each action with the connection's Spring Security {@link Authentication} in the
 * {@link SecurityContextHolderStrategy}, so that method security ({@code @PreAuthorize}
 * on a {@code @LiveAction} method) and code reading the security context see the user of
 * the handshake, and the thread's previous context is restored afterwards. An anonymous
 * connection runs with an {@link AnonymousAuthenticationToken}, as an anonymous HTTP
 * request would.
 * <p>
 * Maps Spring Security's refusals to error codes the way its
 * {@code ExceptionTranslationFilter} maps them to HTTP statuses: an
 * {@link AuthenticationException}, or an {@link AccessDeniedException} for an anonymous
 * connection, to {@code unauthorized}; an {@link AccessDeniedException} for an
 * authenticated user to {@code forbidden}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class SecurityContextActionInterceptor implements ActionInterceptor, Ordered {

	/** The order: outermost, so that other interceptors see the security context. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private static final Log logger = LogFactory.getLog(SecurityContextActionInterceptor.class);

	private static final String ANONYMOUS_KEY = "livesession";

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final SecurityContextHolderStrategy strategy;

	public SecurityContextActionInterceptor(SecurityContextHolderStrategy strategy) {
		this.strategy = strategy;
	}

	@Override
	public @Nullable Object intercept(LiveConnection connection, ActionHandler handler, Invocation invocation) {
		Authentication authentication = authentication(connection);
		SecurityContext previous = this.strategy.getContext();
		SecurityContext context = this.strategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.strategy.setContext(context);
		try {
			return invocation.proceed();
		}
		catch (AuthenticationException ex) {
			denied(connection, handler, ex);
			throw new LiveActionException(LiveActionException.UNAUTHORIZED, "The action needs an authenticated user");
		}
		catch (AccessDeniedException ex) {
			denied(connection, handler, ex);
			if (!this.trustResolver.isAuthenticated(authentication)) {
				throw new LiveActionException(LiveActionException.UNAUTHORIZED,
						"The action needs an authenticated user");
			}
			throw new LiveActionException(LiveActionException.FORBIDDEN, "Access to the action is denied");
		}
		finally {
			if (previous.getAuthentication() != null) {
				this.strategy.setContext(previous);
			}
			else {
				// Nothing worth restoring: leave no context behind on a container thread.
				this.strategy.clearContext();
			}
		}
	}

	private Authentication authentication(LiveConnection connection) {
		Principal principal = connection.getPrincipal();
		if (principal instanceof Authentication authentication) {
			return authentication;
		}
		if (principal != null) {
			// A custom UserResolver's principal: authenticated with the authorities the
			// handshake resolved.
			return UsernamePasswordAuthenticationToken.authenticated(principal, null,
					AuthorityUtils.createAuthorityList(connection.getAuthorities().toArray(String[]::new)));
		}
		return new AnonymousAuthenticationToken(ANONYMOUS_KEY, "anonymousUser",
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
	}

	private void denied(LiveConnection connection, ActionHandler handler, RuntimeException ex) {
		if (logger.isDebugEnabled()) {
			String user = StringUtils.hasText(connection.getUserId()) ? connection.getUserId() : "anonymous";
			logger.debug("Action '" + handler.getName() + "' denied to " + user + " on connection " + connection.getId()
					+ ": " + ex.getMessage());
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
