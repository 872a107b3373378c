package io.livesession.event;

/**
 * A user closed their last connection in the cluster, or the instance holding it stopped
 * or vanished.
 *
 * @author livesession
 * @since 0.1.0
 * @see io.livesession.Presence
 */
public class UserDisconnectedEvent extends LivePresenceEvent {

	/**
	 * Create an event.
	 * @param source the {@link io.livesession.Presence} that publishes it
	 * @param userId the user id
	 */
	public UserDisconnectedEvent(Object source, String userId) {
		super(source, Kind.USER, userId, false);
	}

	/**
	 * The user.
	 * @return the user id
	 */
	public String getUserId() {
		return getId();
	}

}
