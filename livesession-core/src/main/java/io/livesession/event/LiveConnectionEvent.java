package io.livesession.event;

import java.util.Map;

import io.livesession.LiveConnection;

/**
 * An audit event about one connection.
 *
 * @author livesession
 * @since 0.1.0
 */
public abstract class LiveConnectionEvent extends LiveAuditEvent {

	private final transient LiveConnection connection;

	/**
	 * Create an event.
	 * @param connection the connection
	 * @param type the audit event type
	 */
	protected LiveConnectionEvent(LiveConnection connection, String type) {
		super(connection.getId(), type, connection.getUserId(), connection.getPrincipal());
		this.connection = connection;
	}

	/**
	 * The connection.
	 * @return the connection
	 */
	public LiveConnection getConnection() {
		return this.connection;
	}

	@Override
	protected void addDetails(Map<String, Object> details) {
		details.put("connectionId", this.connection.getId());
		details.put("groupId", this.connection.getGroupId());
	}

}
