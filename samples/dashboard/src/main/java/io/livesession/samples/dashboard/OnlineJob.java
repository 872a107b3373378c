package io.livesession.samples.dashboard;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.Presence;
import io.livesession.event.LiveConnectionOpenedEvent;
import io.livesession.scheduling.ClusterLeader;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the cluster-wide presence counts, {@code {"type":"online",...}}, to every
 * ROLE_ADMIN connection of the cluster when they change.
 * <p>
 * The job is scheduled on every instance but runs only on the {@link ClusterLeader}: its
 * broadcast reaches the admins of every instance, so with Redis each admin gets one frame
 * per change, not one per instance. Polling once a second catches every change (users and
 * connections, on any instance) and is naturally limited to one frame per second. A new
 * admin connection is greeted with the current counts by its own instance at once.
 *
 * @author livesession
 */
@Component
class OnlineJob {

	private static final String ADMIN = "ROLE_ADMIN";

	private final Presence presence;

	private final Broadcaster broadcaster;

	private final ClusterLeader leader;

	/**
	 * The frame the leader last sent; reset with each leadership, so a new leader sends.
	 */
	private volatile @Nullable String lastSent;

	private volatile long lastTerm;

	OnlineJob(Presence presence, Broadcaster broadcaster, ClusterLeader leader) {
		this.presence = presence;
		this.broadcaster = broadcaster;
		this.leader = leader;
	}

	@Scheduled(fixedDelay = 1000)
	void sendWhenChanged() {
		this.leader.runIfLeader(() -> {
			String frame = frame();
			long term = this.leader.getTerm();
			if (term != this.lastTerm || !frame.equals(this.lastSent)) {
				this.lastTerm = term;
				this.lastSent = frame;
				this.broadcaster.send(BroadcastTarget.authority(ADMIN), frame);
			}
		});
	}

	@EventListener
	void greetAdmin(LiveConnectionOpenedEvent event) {
		LiveConnection connection = event.getConnection();
		if (connection.getAuthorities().contains(ADMIN)) {
			connection.send(Frame.text(frame()));
		}
	}

	private String frame() {
		return "{\"type\":\"online\",\"users\":" + this.presence.getUserCount() + ",\"connections\":"
				+ this.presence.getConnectionCount() + "}";
	}

}
