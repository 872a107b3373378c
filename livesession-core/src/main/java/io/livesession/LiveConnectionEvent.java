package io.livesession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An audit event about one connection.
 *
 * @author livesession
 * @since 0.1.0
 */
public abstract class LiveConnectionEvent extends LiveAuditEvent {

	private final transient LiveConnection connection;

	protected LiveConnectionEvent(LiveConnection connection) {
		super(connection.getId(), connection.getUserId(), connection.getPrincipal());
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
	public Map<String, Object> getDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("connectionId", this.connection.getId());
		details.put("groupId", this.connection.getGroupId());
		return details;
	}

}
