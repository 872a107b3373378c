package io.livesession.identity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Issues the anonymous cookie on every response whose request lacks a valid one, so pages
 * carry it. A WebSocket handshake is left to the live endpoint, which issues the cookie
 * only when it accepts the handshake: a refused one issues none.
 *
 * @author livesession
 * @see AnonymousCookies
 */
public final class AnonymousCookieFilter extends OncePerRequestFilter {

	private final AnonymousCookies cookies;

	public AnonymousCookieFilter(AnonymousCookies cookies) {
		this.cookies = cookies;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.cookies.resolve(request, response);
		chain.doFilter(request, response);
	}

}
