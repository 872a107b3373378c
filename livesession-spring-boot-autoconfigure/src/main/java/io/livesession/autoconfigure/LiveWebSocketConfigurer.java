package io.livesession.autoconfigure;

import java.security.Principal;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.livesession.event.LiveConnectionRejectedEvent;
import io.livesession.group.GroupStore;
import io.livesession.identity.ConnectResolver;
import io.livesession.websocket.AdmissionInterceptor;
import io.livesession.websocket.LiveHandshakeInterceptor;
import io.livesession.websocket.LiveHandshakeHandler;
import io.livesession.websocket.LiveWebSocketHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Registers the live endpoint through spring-websocket's registry, with its origin check
 * first: a foreign origin is refused with 403 before any livesession code runs, and
 * reported as a {@link LiveConnectionRejectedEvent}. Then handshakes are refused with 503
 * while the instance drains on shutdown.
 *
 * @author livesession
 */
final class LiveWebSocketConfigurer implements WebSocketConfigurer {

	private static final Log logger = LogFactory.getLog(LiveWebSocketConfigurer.class);

	private final LiveWebSocketHandler handler;

	private final HandshakeHandler handshakeHandler;

	/** In order: the origin check, the drain's admission, then livesession's own. */
	private final HandshakeInterceptor[] interceptors;

	private final GroupStore store;

	private final LiveSessionProperties properties;

	LiveWebSocketConfigurer(LiveWebSocketHandler handler, LiveHandshakeInterceptor interceptor, GroupStore store,
			LiveSessionProperties properties, ApplicationEventPublisher events, BooleanSupplier accepting) {
		this(handler, interceptor, store, properties, events, accepting, new LiveHandshakeHandler());
	}

	LiveWebSocketConfigurer(LiveWebSocketHandler handler, LiveHandshakeInterceptor interceptor, GroupStore store,
			LiveSessionProperties properties, ApplicationEventPublisher events, BooleanSupplier accepting,
			HandshakeHandler handshakeHandler) {
		OriginHandshakeInterceptor originCheck = new OriginCheck(events);
		originCheck.setAllowedOriginPatterns(properties.getAllowedOrigins());
		this.interceptors = new HandshakeInterceptor[] { originCheck, new AdmissionInterceptor(accepting),
				interceptor };
		this.handler = handler;
		this.handshakeHandler = handshakeHandler;
		this.store = store;
		this.properties = properties;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		String[] origins = this.properties.getAllowedOrigins().toArray(String[]::new);
		registry.addHandler(this.handler, this.properties.getEndpoint())
			.setHandshakeHandler(this.handshakeHandler)
			.addInterceptors(this.interceptors)
			.setAllowedOriginPatterns(origins);
		logger.info("livesession endpoint " + this.properties.getEndpoint() + ", group store " + this.store
				+ " (timeout " + this.properties.getGroup().getTimeout() + "), origins "
				+ ((origins.length != 0) ? "same-origin and " + String.join(", ", origins) : "same-origin only")
				+ (this.properties.isRequireAuthentication() ? ", authentication required" : ""));
	}

	/**
	 * spring-websocket's origin check, reporting each refusal, and refusing an
	 * {@code Origin} header it cannot parse (a port that is no number, say) with 403 like
	 * any other foreign origin, instead of failing the handshake with 500.
	 */
	static final class OriginCheck extends OriginHandshakeInterceptor {

		private final ApplicationEventPublisher events;

		OriginCheck(ApplicationEventPublisher events) {
			this.events = events;
		}

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
				WebSocketHandler wsHandler, Map<String, Object> attributes) throws Exception {
			boolean allowed;
			try {
				allowed = super.beforeHandshake(request, response, wsHandler, attributes);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				logger.debug("Handshake refused: malformed Origin header");
				response.setStatusCode(HttpStatus.FORBIDDEN);
				allowed = false;
			}
			if (!allowed) {
				if (logger.isDebugEnabled()) {
					logger.debug("Handshake from " + request.getRemoteAddress() + " refused with 403: origin "
							+ request.getHeaders().getOrigin() + " is not allowed");
				}
				// The servlet request's principal: Spring Security exposes a
				// non-anonymous Authentication there.
				Principal principal = request.getPrincipal();
				this.events
					.publishEvent(ConnectResolver.rejected(request, (principal != null) ? principal.getName() : null,
							principal, LiveConnectionRejectedEvent.Reason.ORIGIN, null));
			}
			return allowed;
		}

	}

}
