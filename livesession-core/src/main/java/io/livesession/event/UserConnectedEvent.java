package io.livesession.event;

/**
 * A user opened their first connection in the cluster (on any instance).
 *
 * @author livesession
 * @since 0.1.0
 * @see io.livesession.Presence
 */
public class UserConnectedEvent extends LivePresenceEvent {

	/**
	 * Create an event.
	 * @param source the {@link io.livesession.Presence} that publishes it
	 * @param userId the user id
	 */
	public UserConnectedEvent(Object source, String userId) {
		super(source, Kind.USER, userId, true);
	}

	/**
	 * The user.
	 * @return the user id
	 */
	public String getUserId() {
		return getId();
	}

}
