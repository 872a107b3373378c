package io.livesession.identity;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.Set;

import io.livesession.ConnectInterceptor;
import io.livesession.ConnectRequest;
import io.livesession.ConnectionRejectedException;
import io.livesession.GroupResolver;
import io.livesession.event.LiveConnectionRejectedEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.util.Assert;

/**
 * Resolves who is calling and which group they act on, for every transport alike: the
 * user from the {@link UserResolver} (refused with 401 when authentication is required
 * and missing), the anonymous cookie (issued or replaced on the response), the group from
 * the {@link GroupResolver}, then the connect hooks, which may refuse with 403. Each
 * refusal is published as a {@link LiveConnectionRejectedEvent}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ConnectResolver {

	private static final Log logger = LogFactory.getLog(ConnectResolver.class);

	private final AnonymousCookies cookies;

	private final UserResolver userResolver;

	private final GroupResolver groupResolver;

	private final List<ConnectInterceptor> connectInterceptors;

	private final boolean requireAuthentication;

	private final ApplicationEventPublisher events;

	public ConnectResolver(AnonymousCookies cookies, UserResolver userResolver, GroupResolver groupResolver,
			List<ConnectInterceptor> connectInterceptors, boolean requireAuthentication,
			ApplicationEventPublisher events) {
		this.cookies = cookies;
		this.userResolver = userResolver;
		this.groupResolver = groupResolver;
		this.connectInterceptors = List.copyOf(connectInterceptors);
		this.requireAuthentication = requireAuthentication;
		this.events = events;
	}

	/**
	 * Resolve the caller of a request.
	 * @param request the request, as the connect hooks see it
	 * @param servletRequest the servlet request behind it
	 * @param servletResponse the response, which may get the anonymous cookie
	 * @return the accepted request, or the refusal
	 */
	public Resolution resolve(ServerHttpRequest request, HttpServletRequest servletRequest,
			HttpServletResponse servletResponse) {
		LiveUser user = this.userResolver.resolve(servletRequest);
		if (user == null && this.requireAuthentication) {
			this.events
				.publishEvent(rejected(request, null, null, LiveConnectionRejectedEvent.Reason.UNAUTHENTICATED, null));
			return new Resolution(null, HttpStatus.UNAUTHORIZED, "Authentication is required");
		}
		String cookie = this.cookies.resolve(servletRequest, servletResponse);
		ConnectRequest connect = new ConnectRequest(request, (user != null) ? user.userId() : null,
				(user != null) ? user.principal() : null, (user != null) ? user.authorities() : Set.of(),
				AnonymousCookies.deriveId(cookie));
		String groupId = this.groupResolver.resolveGroup(connect);
		Assert.state(groupId != null && !groupId.isBlank(), "GroupResolver returned no group id");
		connect.setGroupId(groupId);
		try {
			for (ConnectInterceptor interceptor : this.connectInterceptors) {
				interceptor.beforeConnect(connect);
			}
		}
		catch (ConnectionRejectedException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Connection rejected by a connect hook: " + ex.getMessage());
			}
			this.events.publishEvent(rejected(request, connect.getUserId(), connect.getPrincipal(),
					LiveConnectionRejectedEvent.Reason.HOOK, ex.getMessage()));
			return new Resolution(null, HttpStatus.FORBIDDEN, String.valueOf(ex.getMessage()));
		}
		return new Resolution(connect, HttpStatus.OK, "");
	}

	/**
	 * The event for a refused handshake, with the plain values of its request.
	 * @param request the refused handshake request
	 * @param userId the user id, if the request was authenticated
	 * @param principal the principal, if the request was authenticated
	 * @param reason why it was refused
	 * @param detail the connect hook's message, if a hook refused it
	 * @return the event to publish
	 */
	public static LiveConnectionRejectedEvent rejected(ServerHttpRequest request, @Nullable String userId,
			@Nullable Principal principal, LiveConnectionRejectedEvent.Reason reason, @Nullable String detail) {
		InetSocketAddress remote = remoteAddress(request);
		return new LiveConnectionRejectedEvent(request.getURI().getPath(),
				(remote != null) ? remote.getHostString() : null, userId, principal, reason, detail);
	}

	// Some containers throw once the request is recycled; the address is only a detail.
	private static @Nullable InetSocketAddress remoteAddress(ServerHttpRequest request) {
		try {
			return request.getRemoteAddress();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The outcome of {@link #resolve}.
	 *
	 * @param request the accepted request, or {@code null} when refused
	 * @param status {@code 200} when accepted, else the refusal's status
	 * @param reason why it was refused, empty when accepted
	 * @since 0.1.0
	 */
	public record Resolution(@Nullable ConnectRequest request, HttpStatus status, String reason) {

		/**
		 * Whether the caller was accepted.
		 * @return {@code true} when {@link #request()} is set
		 */
		public boolean accepted() {
			return this.request != null;
		}

	}

}
