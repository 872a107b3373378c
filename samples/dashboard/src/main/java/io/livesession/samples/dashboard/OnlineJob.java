package io.livesession.samples.dashboard;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.Presence;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Polls the cluster-wide presence counts once a second and sends
 * {@code {"type":"online",...}} to each ROLE_ADMIN connection whose last frame showed
 * other counts. Polling catches every change (users and connections, on any instance) and
 * is naturally limited to one frame per second; a newly connected admin gets the counts
 * on the next tick even when the totals look unchanged.
 * <p>
 * Each instance writes only to its own admin connections (the registry is local), so with
 * Redis an admin gets one frame per change, not one per instance as a cluster-wide
 * broadcast from every instance would give.
 *
 * @author livesession
 */
@Component
class OnlineJob {

	/** Connection-scoped value: the frame this connection last received. */
	private static final String LAST_SENT = "dashboard.online";

	private final Presence presence;

	private final ConnectionRegistry registry;

	OnlineJob(Presence presence, ConnectionRegistry registry) {
		this.presence = presence;
		this.registry = registry;
	}

	@Scheduled(fixedDelay = 1000)
	void sendWhenChanged() {
		String frame = "{\"type\":\"online\",\"users\":" + this.presence.getUserCount() + ",\"connections\":"
				+ this.presence.getConnectionCount() + "}";
		for (LiveConnection connection : this.registry.findAll()) {
			if (connection.getAuthorities().contains("ROLE_ADMIN")
					&& !frame.equals(connection.getAttribute(LAST_SENT))) {
				connection.setAttribute(LAST_SENT, frame);
				connection.send(Frame.text(frame));
			}
		}
	}

}
