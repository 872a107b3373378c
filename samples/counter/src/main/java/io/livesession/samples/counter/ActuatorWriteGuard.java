package io.livesession.samples.counter;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every Actuator request that is not a read with HTTP 403. The counter has no
 * login, so nobody may write: the {@code livesession} endpoint keeps Actuator's read-only
 * default anyway, and this guard answers a clear 403 instead of 404 or 405 should a write
 * operation ever be enabled by configuration. An application with Spring Security
 * requires an administrator instead (see the chat and dashboard samples).
 *
 * @author livesession
 * @since 0.1.0
 */
class ActuatorWriteGuard extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String method = request.getMethod();
		if (HttpMethod.GET.matches(method) || HttpMethod.HEAD.matches(method) || HttpMethod.OPTIONS.matches(method)) {
			chain.doFilter(request, response);
			return;
		}
		response.sendError(HttpServletResponse.SC_FORBIDDEN, "Actuator writes are disabled in the counter sample");
	}

}
