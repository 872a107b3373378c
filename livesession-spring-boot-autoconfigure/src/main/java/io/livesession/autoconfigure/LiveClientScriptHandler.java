package io.livesession.autoconfigure;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Serves one file of the browser client with an {@code ETag} of the client's version. The
 * plain URL is revalidated on every use (a 304 while unchanged); a URL whose {@code v}
 * parameter is the current version is cached for a year. Both are {@code private}: the
 * response may carry the anonymous cookie, which a shared cache must never hand to
 * another browser.
 *
 * @author livesession
 */
final class LiveClientScriptHandler implements HttpRequestHandler {

	static final String REVALIDATE = CacheControl.noCache().cachePrivate().getHeaderValue();

	static final String IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365))
		.cachePrivate()
		.immutable()
		.getHeaderValue();

	private static final String ALLOW = "GET, HEAD, OPTIONS";

	private final byte[] body;

	private final String contentType;

	private final String version;

	private final String etag;

	LiveClientScriptHandler(byte[] body, String contentType, String version) {
		this.body = body;
		this.contentType = contentType;
		this.version = version;
		this.etag = "\"" + version + "\"";
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String method = request.getMethod();
		if ("OPTIONS".equals(method)) {
			response.setHeader(HttpHeaders.ALLOW, ALLOW);
			return;
		}
		if (!"GET".equals(method) && !"HEAD".equals(method)) {
			response.setHeader(HttpHeaders.ALLOW, ALLOW);
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL,
				this.version.equals(request.getParameter("v")) ? IMMUTABLE : REVALIDATE);
		if (new ServletWebRequest(request, response).checkNotModified(this.etag)) {
			return;
		}
		response.setContentType(this.contentType);
		response.setContentLength(this.body.length);
		response.setHeader("X-Content-Type-Options", "nosniff");
		if ("GET".equals(method)) {
			response.getOutputStream().write(this.body);
		}
	}

}
