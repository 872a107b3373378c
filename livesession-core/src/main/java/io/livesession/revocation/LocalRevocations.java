package io.livesession.revocation;

import java.util.Collection;
import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.event.LiveConnectionRevokedEvent;
import io.livesession.delivery.CloseCode;
import io.livesession.metrics.LiveMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Applies a revocation to this instance: closes each matching connection with
 * {@link CloseCode#REVOKED 1008 revoked}, publishes a {@link LiveConnectionRevokedEvent}
 * and counts it in {@link LiveMetrics#revoked()}, once per connection however many
 * revocations match it. Every revocation, local or from another instance, ends here.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LocalRevocations {

	private static final Log logger = LogFactory.getLog(LocalRevocations.class);

	private final ConnectionRegistry registry;

	private final ConnectionBindings bindings;

	private final ApplicationEventPublisher events;

	private final LiveMetrics metrics;

	public LocalRevocations(ConnectionRegistry registry, ConnectionBindings bindings, ApplicationEventPublisher events,
			LiveMetrics metrics) {
		this.registry = registry;
		this.bindings = bindings;
		this.events = events;
		this.metrics = metrics;
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
				CloseCode.REVOKED.close(connection);
				count++;
				this.metrics.revoked();
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
