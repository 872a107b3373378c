package io.livesession;

import org.springframework.context.ApplicationEvent;

/**
 * A session group got its first connection in the cluster (on any instance).
 *
 * <p>
 * Every instance publishes it once per transition, in the order of the transitions, so
 * the events of one group alternate. Listeners are called on a livesession or transport
 * thread and should return quickly. With Redis, an instance misses the events that occur
 * while it cannot reach Redis: {@link Presence} stays the source of truth for the current
 * state. Without Redis, the cluster is this one instance.
 *
 * @author livesession
 * @see Presence
 * @since 0.1.0
 */
public class GroupOpenedEvent extends ApplicationEvent {

	private final String groupId;

	/**
	 * Create an event.
	 * @param source the {@link Presence} that publishes it
	 * @param groupId the group id
	 */
	public GroupOpenedEvent(Object source, String groupId) {
		super(source);
		this.groupId = groupId;
	}

	/**
	 * The group.
	 * @return the group id
	 */
	public String getGroupId() {
		return this.groupId;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[groupId=" + this.groupId + "]";
	}

}
