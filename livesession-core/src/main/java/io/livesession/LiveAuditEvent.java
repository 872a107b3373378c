package io.livesession;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the application events livesession publishes for auditing: connections opened,
 * closed, rejected and revoked, and actions denied. With Spring Boot's Actuator and an
 * {@code AuditEventRepository} bean they are also recorded as Actuator audit events.
 *
 * @author livesession
 * @since 0.1.0
 */
public abstract class LiveAuditEvent extends ApplicationEvent {

	/** The principal name recorded for an anonymous connection. */
	public static final String ANONYMOUS = "anonymous";

	private final @Nullable String userId;

	private final transient @Nullable Principal principal;

	protected LiveAuditEvent(Object source, @Nullable String userId, @Nullable Principal principal) {
		super(source);
		this.userId = userId;
		this.principal = principal;
	}

	/**
	 * The user id, or {@code null} when anonymous.
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
	 * The name to record as the principal of an audit entry: the user id, or
	 * {@value #ANONYMOUS}.
	 * @return the name
	 */
	public String getPrincipalName() {
		return (this.userId != null) ? this.userId : ANONYMOUS;
	}

	/**
	 * The audit event type, for example {@code LIVE_CONNECTION_OPENED}.
	 * @return the type
	 */
	public abstract String getType();

	/**
	 * Details for an audit log: ids, codes and reasons. Never secrets such as HTTP
	 * session ids or cookie values.
	 * @return the details
	 */
	public abstract Map<String, Object> getDetails();

}
