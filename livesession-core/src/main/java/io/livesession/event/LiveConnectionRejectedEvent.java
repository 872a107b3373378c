package io.livesession.event;

import java.security.Principal;
import java.util.Map;

import io.livesession.ConnectInterceptor;
import org.jspecify.annotations.Nullable;

/**
 * A handshake was refused before any connection existed.
 *
 * @author livesession
 * @since 0.1.0
 */
public class LiveConnectionRejectedEvent extends LiveAuditEvent {

	/** The audit event type. */
	public static final String TYPE = "LIVE_CONNECTION_REJECTED";

	private final Reason reason;

	private final @Nullable String remoteAddress;

	private final @Nullable String detail;

	/**
	 * Create an event.
	 * @param path the path of the refused handshake request
	 * @param remoteAddress the client's address as the server saw it, if known
	 * @param userId the user id, if the request was authenticated
	 * @param principal the principal, if the request was authenticated
	 * @param reason why it was refused
	 * @param detail the connect hook's message, if a hook refused it
	 */
	public LiveConnectionRejectedEvent(String path, @Nullable String remoteAddress, @Nullable String userId,
			@Nullable Principal principal, Reason reason, @Nullable String detail) {
		super(path, TYPE, userId, principal);
		this.reason = reason;
		this.remoteAddress = remoteAddress;
		this.detail = detail;
	}

	/**
	 * Why the handshake was refused.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * The request path.
	 * @return the path
	 */
	public String getPath() {
		// The path is the event's source.
		return (String) getSource();
	}

	/**
	 * The client's address as the server saw it.
	 * @return the address, or {@code null} if unknown
	 */
	public @Nullable String getRemoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * The connect hook's message when {@link Reason#HOOK} refused it.
	 * @return the message or {@code null}
	 */
	public @Nullable String getDetail() {
		return this.detail;
	}

	@Override
	protected void addDetails(Map<String, Object> details) {
		details.put("reason", this.reason.name());
		details.put("path", getPath());
		if (this.remoteAddress != null) {
			details.put("remoteAddress", this.remoteAddress);
		}
		if (this.detail != null) {
			details.put("detail", this.detail);
		}
	}

	/**
	 * Why a handshake was refused.
	 *
	 * @since 0.1.0
	 */
	public enum Reason {

		/**
		 * A foreign {@code Origin} (HTTP 403).
		 */
		ORIGIN,

		/**
		 * No authenticated user while authentication is required (HTTP 401).
		 */
		UNAUTHENTICATED,

		/**
		 * A {@link ConnectInterceptor} refused it (HTTP 403).
		 */
		HOOK

	}

}
