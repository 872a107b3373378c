package io.livesession.identity;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@link UserResolver} on Spring Security: a non-anonymous, authenticated
 * {@link Authentication} gives the user id {@code authentication.getName()}.
 *
 * @author livesession
 */
final class SpringSecurityUserResolver implements UserResolver {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	@Override
	public @Nullable LiveUser resolve(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!this.trustResolver.isAuthenticated(authentication)) {
			return null;
		}
		return new LiveUser(authentication.getName(), authentication,
				AuthorityUtils.authorityListToSet(authentication.getAuthorities()));
	}

}
