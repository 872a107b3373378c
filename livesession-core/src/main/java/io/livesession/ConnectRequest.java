package io.livesession;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.util.Assert;

/**
 * A connection about to be opened: the handshake request and the identity resolved from
 * it. Connect hooks may add connection-scoped values to {@link #getAttributes()}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ConnectRequest {

	private final ServerHttpRequest request;

	private final @Nullable String userId;

	private final @Nullable Principal principal;

	private final Set<String> authorities;

	private final String anonymousId;

	private @Nullable String groupId;

	private final Map<String, Object> attributes = new LinkedHashMap<>();

	public ConnectRequest(ServerHttpRequest request, @Nullable String userId, @Nullable Principal principal,
			Set<String> authorities, String anonymousId) {
		Assert.notNull(request, "'request' must not be null");
		Assert.hasText(anonymousId, "'anonymousId' must not be empty");
		this.request = request;
		this.userId = userId;
		this.principal = principal;
		this.authorities = Set.copyOf(authorities);
		this.anonymousId = anonymousId;
	}

	/**
	 * The handshake request.
	 * @return the request
	 */
	public ServerHttpRequest getRequest() {
		return this.request;
	}

	/**
	 * The authenticated user name, or {@code null} when anonymous.
	 * @return the user id
	 */
	public @Nullable String getUserId() {
		return this.userId;
	}

	/**
	 * The authenticated principal, or {@code null} when anonymous.
	 * @return the principal
	 */
	public @Nullable Principal getPrincipal() {
		return this.principal;
	}

	/**
	 * The principal's authority names.
	 * @return the authorities
	 */
	public Set<String> getAuthorities() {
		return this.authorities;
	}

	/**
	 * A stable id of the browser, derived one-way from its anonymous cookie (never the
	 * cookie value itself). Present for authenticated requests too.
	 * @return the anonymous id
	 */
	public String getAnonymousId() {
		return this.anonymousId;
	}

	/**
	 * The resolved group id; set before connect hooks run.
	 * @return the group id
	 * @throws IllegalStateException before the group is resolved
	 */
	public String getGroupId() {
		Assert.state(this.groupId != null, "The group is not resolved yet");
		return this.groupId;
	}

	/**
	 * Set the resolved group id.
	 * @param groupId the group id
	 */
	public void setGroupId(String groupId) {
		Assert.hasText(groupId, "'groupId' must not be empty");
		this.groupId = groupId;
	}

	/**
	 * Connection-scoped values the connection starts with; mutable.
	 * @return the values
	 */
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

}
