package io.livesession.identity;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Finds the authenticated user of a request.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface UserResolver {

	/**
	 * The authenticated user, or {@code null} when anonymous.
	 * @param request the request
	 * @return the user
	 */
	@Nullable LiveUser resolve(HttpServletRequest request);

	/**
	 * The default: Spring Security's authentication when Spring Security is on the
	 * classpath, otherwise every request is anonymous.
	 * @param classLoader the class loader to check
	 * @return the resolver
	 */
	static UserResolver detect(@Nullable ClassLoader classLoader) {
		if (ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", classLoader)) {
			return new SpringSecurityUserResolver();
		}
		return (request) -> null;
	}

}
