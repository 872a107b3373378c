package io.livesession.event;

/**
 * A session group lost its last connection in the cluster, or the instance holding it
 * stopped or vanished.
 *
 * @author livesession
 * @since 0.1.0
 * @see io.livesession.Presence
 */
public class GroupClosedEvent extends LivePresenceEvent {

	/**
	 * Create an event.
	 * @param source the {@link io.livesession.Presence} that publishes it
	 * @param groupId the group id
	 */
	public GroupClosedEvent(Object source, String groupId) {
		super(source, Kind.GROUP, groupId, false);
	}

	/**
	 * The group.
	 * @return the group id
	 */
	public String getGroupId() {
		return getId();
	}

}
