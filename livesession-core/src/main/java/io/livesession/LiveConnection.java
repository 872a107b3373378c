package io.livesession;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One open live connection (a browser tab, a device), as the registry and handlers see
 * it. Transport-neutral: the WebSocket adapter creates it, nothing here is WebSocket
 * specific.
 *
 * <p>
 * Connection-scoped values are a small thread-safe map that costs nothing until first
 * used; connect hooks ({@link ConnectInterceptor}) may set them at the handshake.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface LiveConnection {

	/**
	 * The connection id, unique across the cluster.
	 * @return the id
	 */
	String getId();

	/**
	 * The authenticated user name, or {@code null} for an anonymous connection.
	 * @return the user id
	 */
	@Nullable String getUserId();

	/**
	 * The session group this connection belongs to.
	 * @return the group id
	 */
	String getGroupId();

	/**
	 * The authenticated principal (a Spring Security {@code Authentication} when Spring
	 * Security is used), or {@code null} when anonymous.
	 * @return the principal
	 */
	@Nullable Principal getPrincipal();

	/**
	 * The granted authority names of the principal, empty when anonymous.
	 * @return the authorities
	 */
	Set<String> getAuthorities();

	/**
	 * The id of the HTTP session the handshake carried, if any.
	 * @return the HTTP session id
	 */
	@Nullable String getHttpSessionId();

	/**
	 * When the connection was opened.
	 * @return the instant
	 */
	Instant getOpenedAt();

	/**
	 * Whether the connection is still open.
	 * @return {@code true} while open
	 */
	boolean isOpen();

	/**
	 * A connection-scoped value.
	 * @param name the name
	 * @return the value or {@code null}
	 */
	@Nullable Object getAttribute(String name);

	/**
	 * Set a connection-scoped value; {@code null} removes it.
	 * @param name the name
	 * @param value the value
	 */
	void setAttribute(String name, @Nullable Object value);

	/**
	 * Remove a connection-scoped value.
	 * @param name the name
	 * @return the previous value or {@code null}
	 */
	@Nullable Object removeAttribute(String name);

	/**
	 * The names of the connection-scoped values.
	 * @return an immutable snapshot of the names
	 */
	Set<String> getAttributeNames();

	/**
	 * Queue a frame for this connection without waiting for the network.
	 * @param frame the frame
	 * @return {@code true} if queued, {@code false} if the connection is closed
	 */
	boolean send(Frame frame);

	/**
	 * Close the connection with a WebSocket close code.
	 * @param code the close code
	 * @param reason the reason text, may be empty
	 */
	void close(int code, String reason);

	/**
	 * Join a topic: from now on this connection receives the topic's publications, on
	 * whichever instance they are sent (see {@link Topics#join(LiveConnection, String)}).
	 * @param topic the topic name
	 * @return {@code true} if it joined, {@code false} if it was a member already
	 * @throws IllegalArgumentException if the name is not a valid topic name, or the
	 * connection is in as many topics as it may be
	 * @since 0.1.0
	 */
	default boolean join(String topic) {
		throw new UnsupportedOperationException("This connection cannot join topics");
	}

	/**
	 * Leave a topic.
	 * @param topic the topic name
	 * @return {@code true} if it was a member
	 * @since 0.1.0
	 */
	default boolean leave(String topic) {
		return false;
	}

	/**
	 * The topics this connection is a member of.
	 * @return an immutable snapshot
	 * @since 0.1.0
	 */
	default Set<String> getTopics() {
		return Set.of();
	}

}
