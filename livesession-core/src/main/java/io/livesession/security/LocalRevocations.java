package io.livesession.security;

import java.util.Collection;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.LiveConnectionRevokedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Applies a revocation to this instance: closes each matching connection with 1008
 * {@code revoked} and publishes a {@link LiveConnectionRevokedEvent}, once per connection
 * however many revocations match it.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LocalRevocations {

	/** The close code of a revoked connection: policy violation. */
	public static final int CLOSE_CODE = 1008;

	/** The close reason of a revoked connection. */
	public static final String CLOSE_REASON = "revoked";

	private static final Log logger = LogFactory.getLog(LocalRevocations.class);

	private final ConnectionRegistry registry;

	private final ConnectionBindings bindings;

	private final ApplicationEventPublisher events;

	public LocalRevocations(ConnectionRegistry registry, ConnectionBindings bindings,
			ApplicationEventPublisher events) {
		this.registry = registry;
		this.bindings = bindings;
		this.events = events;
	}

	/**
	 * Revoke the matching connections of this instance.
	 * @param revocation what to revoke
	 * @return the number of connections closed
	 */
	public int revoke(Revocation revocation) {
		int count = 0;
		String spared = revocation.exceptUserId();
		for (LiveConnection connection : match(revocation)) {
			if (spared != null && spared.equals(connection.getUserId())) {
				continue;
			}
			if (this.bindings.markRevoked(connection)) {
				connection.close(CLOSE_CODE, CLOSE_REASON);
				count++;
				this.events.publishEvent(new LiveConnectionRevokedEvent(connection, revocation.reason()));
			}
		}
		if (count > 0 && logger.isDebugEnabled()) {
			logger
				.debug("Revoked " + count + " connection(s): " + revocation.kind() + " (" + revocation.reason() + ")");
		}
		return count;
	}

	private Collection<LiveConnection> match(Revocation revocation) {
		return switch (revocation.kind()) {
			case USER -> List.copyOf(this.registry.findByUser(revocation.id()));
			case CONNECTION -> {
				LiveConnection connection = this.registry.find(revocation.id());
				yield (connection != null) ? List.of(connection) : List.of();
			}
			case HTTP_SESSION -> this.bindings.findByHttpSession(revocation.id());
			case BROWSER -> this.bindings.findByBrowser(revocation.id());
		};
	}

}
