package io.livesession.identity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Issues the anonymous cookie on every response whose request lacks a valid one, so pages
 * and the handshake alike carry it.
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
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		this.cookies.resolve(request, response);
		chain.doFilter(request, response);
	}

}
