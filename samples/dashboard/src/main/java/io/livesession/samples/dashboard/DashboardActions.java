package io.livesession.samples.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.LiveController;
import io.livesession.revocation.Revocations;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.prepost.PreAuthorize;

/**
 * The admin actions: {@code announce} and {@code kick}, both ROLE_ADMIN only (method
 * security answers {@code forbidden} to everyone else).
 *
 * @author livesession
 */
@LiveController
public class DashboardActions {

	private final Broadcaster broadcaster;

	private final Revocations revocations;

	public DashboardActions(Broadcaster broadcaster, Revocations revocations) {
		this.broadcaster = broadcaster;
		this.revocations = revocations;
	}

	@PreAuthorize("hasRole('ADMIN')")
	@LiveAction("announce")
	public int announce(LiveConnection connection, @Nullable Announcement announcement) {
		String message = (announcement != null) ? announcement.message() : null;
		if (message == null || message.isEmpty()) {
			throw LiveActionException.badRequest("message must not be empty");
		}
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "announcement");
		frame.put("from", String.valueOf(connection.getUserId()));
		frame.put("message", message);
		return this.broadcaster.send(BroadcastTarget.all(), frame);
	}

	@PreAuthorize("hasRole('ADMIN')")
	@LiveAction("kick")
	public void kick(@Nullable Kick kick) {
		String user = (kick != null) ? kick.user() : null;
		if (user == null || user.isEmpty()) {
			throw LiveActionException.badRequest("user must not be empty");
		}
		this.revocations.revokeUser(user);
	}

	/**
	 * The data of {@code announce}.
	 *
	 * @param message the message
	 */
	public record Announcement(@Nullable String message) {

	}

	/**
	 * The data of {@code kick}.
	 *
	 * @param user the user to disconnect
	 */
	public record Kick(@Nullable String user) {

	}

}
