package io.livesession.event;

/**
 * A session group got its first connection in the cluster (on any instance).
 *
 * @author livesession
 * @since 0.1.0
 * @see io.livesession.Presence
 */
public class GroupOpenedEvent extends LivePresenceEvent {

	/**
	 * Create an event.
	 * @param source the {@link io.livesession.Presence} that publishes it
	 * @param groupId the group id
	 */
	public GroupOpenedEvent(Object source, String groupId) {
		super(source, Kind.GROUP, groupId, true);
	}

	/**
	 * The group.
	 * @return the group id
	 */
	public String getGroupId() {
		return getId();
	}

}
