package io.livesession.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.livesession.ConnectRequest;
import io.livesession.LiveActionException;
import io.livesession.endpoint.LiveEndpoint;
import io.livesession.identity.ConnectResolver;
import io.livesession.limits.ConnectionLimits;
import io.livesession.protocol.ProtocolFrames;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST {endpoint}/actions/{name}}: runs the action through
 * {@link LiveEndpoint#perform}, with the caller resolved by the same
 * {@link ConnectResolver} as a handshake. The body is the action's data as JSON, or a
 * form whose fields (less {@code _csrf}) become a JSON object of strings. The answer is
 * {@code 200} with {@code {"type":"reply","data":...}}, or the error frame
 * {@code {"type":"error","ref":null,"code":...,"message":...}} with the code's HTTP
 * status. Spring Security's filters (CSRF protection included) run before this handler,
 * as for any request; a foreign {@code Origin} is refused like a handshake's.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveActionHttpHandler implements HttpRequestHandler {

	private static final Log logger = LogFactory.getLog(LiveActionHttpHandler.class);

	private static final String CSRF_PARAMETER = "_csrf";

	private final LiveEndpoint endpoint;

	private final ConnectResolver resolver;

	private final JsonMapper mapper;

	private final ProtocolFrames frames;

	private final ObjectReader reader;

	private final CorsConfiguration origins = new CorsConfiguration();

	private final long maxBodySize;

	private final @Nullable ConnectionLimits limits;

	private final Predicate<String> groupExists;

	/**
	 * Create a handler that charges an anonymous caller's remote address for each group
	 * it creates.
	 * @param endpoint the endpoint that performs actions
	 * @param resolver resolves the caller and its group
	 * @param mapper the JSON mapper
	 * @param allowedOriginPatterns origins allowed besides the request's own
	 * @param maxBodySize the largest body accepted, in bytes
	 * @param limits the limits, or {@code null} for none
	 * @param groupExists whether a group exists already
	 * @since 0.1.0
	 */
	public LiveActionHttpHandler(LiveEndpoint endpoint, ConnectResolver resolver, JsonMapper mapper,
			List<String> allowedOriginPatterns, long maxBodySize, @Nullable ConnectionLimits limits,
			Predicate<String> groupExists) {
		this.limits = limits;
		this.groupExists = groupExists;
		this.endpoint = endpoint;
		this.resolver = resolver;
		this.mapper = mapper;
		this.frames = new ProtocolFrames(mapper);
		this.reader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.origins.setAllowedOriginPatterns(allowedOriginPatterns);
		this.maxBodySize = maxBodySize;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "POST");
			error(response, HttpStatus.METHOD_NOT_ALLOWED, LiveActionException.BAD_REQUEST, "Use POST");
			return;
		}
		ServletServerHttpRequest serverRequest = new ServletServerHttpRequest(request);
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !isAllowed(serverRequest, origin)) {
			error(response, HttpStatus.FORBIDDEN, LiveActionException.FORBIDDEN, "Origin not allowed");
			return;
		}
		ConnectResolver.Resolution resolution = this.resolver.resolve(serverRequest, request, response);
		ConnectRequest connect = resolution.request();
		if (connect == null) {
			String code = (resolution.status() == HttpStatus.UNAUTHORIZED) ? LiveActionException.UNAUTHORIZED
					: LiveActionException.FORBIDDEN;
			error(response, resolution.status(), code, resolution.reason());
			return;
		}
		if (this.limits != null) {
			ConnectionLimits.Refusal refusal = this.limits.newGroup(connect, this.groupExists,
					serverRequest.getRemoteAddress());
			if (refusal != null) {
				if (logger.isDebugEnabled()) {
					logger.debug("Action from " + serverRequest.getRemoteAddress() + " refused with 429: over the "
							+ refusal.limit() + " limit: " + refusal.reason());
				}
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
				error(response, HttpStatus.TOO_MANY_REQUESTS, LiveActionException.RATE_LIMITED,
						"Too many new anonymous groups from this address; retry later");
				return;
			}
		}
		String action = actionName(request);
		JsonNode data;
		try {
			data = data(request);
		}
		catch (LiveActionException ex) {
			error(response, HttpStatus.BAD_REQUEST, ex.getCode(), String.valueOf(ex.getMessage()));
			return;
		}
		HttpSession session = request.getSession(false);
		HttpCaller caller = HttpCaller.of(connect, (session != null) ? session.getId() : null);
		Object result;
		try {
			result = this.endpoint.perform(caller, action, data);
		}
		catch (LiveActionException ex) {
			error(response, status(ex.getCode()), ex.getCode(), String.valueOf(ex.getMessage()));
			return;
		}
		write(response, HttpStatus.OK, this.frames.httpReply(result));
	}

	private boolean isAllowed(ServletServerHttpRequest request, String origin) {
		try {
			return WebUtils.isSameOrigin(request) || this.origins.checkOrigin(origin) != null;
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// An Origin that cannot be parsed is foreign.
			return false;
		}
	}

	/**
	 * The last path segment: the mapping routes only {@code {endpoint}/actions/*} here.
	 */
	private static String actionName(HttpServletRequest request) {
		String uri = request.getRequestURI();
		return URLDecoder.decode(uri.substring(uri.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
	}

	private @Nullable JsonNode data(HttpServletRequest request) throws IOException {
		String contentType = request.getContentType();
		MediaType type = null;
		try {
			type = (contentType != null) ? MediaType.parseMediaType(contentType) : null;
		}
		catch (IllegalArgumentException ex) {
			throw LiveActionException.badRequest("Malformed Content-Type");
		}
		if (type != null && (MediaType.APPLICATION_FORM_URLENCODED.includes(type)
				|| MediaType.MULTIPART_FORM_DATA.includes(type))) {
			return form(request.getParameterMap());
		}
		if (type != null && !type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
			throw LiveActionException.badRequest("The body must be JSON or a form");
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxBodySize + 1));
		}
		if (body.length > this.maxBodySize) {
			throw LiveActionException.badRequest("The body is larger than " + this.maxBodySize + " bytes");
		}
		if (body.length == 0) {
			return null;
		}
		try {
			return this.reader.readValue(body);
		}
		catch (JacksonException ex) {
			throw LiveActionException
				.badRequest(LiveEndpoint.notJson(ex).replace("Frame is not valid JSON", "The body is not valid JSON"));
		}
	}

	private JsonNode form(Map<String, String[]> parameters) {
		ObjectNode data = this.mapper.createObjectNode();
		parameters.forEach((name, values) -> {
			if (CSRF_PARAMETER.equals(name)) {
				return;
			}
			if (values.length == 1) {
				data.put(name, values[0]);
			}
			else {
				ArrayNode array = data.putArray(name);
				for (String value : values) {
					array.add(value);
				}
			}
		});
		return data;
	}

	/**
	 * The HTTP status of an error code.
	 * @param code the protocol's error code
	 * @return the status
	 */
	static HttpStatus status(String code) {
		return switch (code) {
			case LiveActionException.BAD_REQUEST -> HttpStatus.BAD_REQUEST;
			case LiveActionException.UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
			case LiveActionException.FORBIDDEN -> HttpStatus.FORBIDDEN;
			case LiveActionException.UNKNOWN_ACTION -> HttpStatus.NOT_FOUND;
			case LiveActionException.RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
			case LiveActionException.UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
			case LiveActionException.INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
			// An application's own code: the request was understood and refused.
			default -> HttpStatus.UNPROCESSABLE_CONTENT;
		};
	}

	private void error(HttpServletResponse response, HttpStatus status, String code, String message)
			throws IOException {
		write(response, status, this.frames.httpError(code, message));
	}

	private void write(HttpServletResponse response, HttpStatus status, JsonNode body) throws IOException {
		if (status == HttpStatus.TOO_MANY_REQUESTS && response.getHeader(HttpHeaders.RETRY_AFTER) == null) {
			// The rate limit refills a frame's token within a second.
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
		}
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		this.mapper.writeValue(response.getOutputStream(), body);
	}

}
