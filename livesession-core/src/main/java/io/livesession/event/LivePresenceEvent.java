package io.livesession.event;

import io.livesession.Presence;

/**
 * A user or a session group came online or went offline in the cluster: the base of
 * {@link UserConnectedEvent}, {@link UserDisconnectedEvent}, {@link GroupOpenedEvent} and
 * {@link GroupClosedEvent}, so one listener can follow every presence change in the
 * cluster: {@link #getKind()} says whether {@link #getId()} is a user id or a group id.
 *
 * <p>
 * Every instance publishes them once per transition, in the order of the transitions, so
 * the events of one user or group alternate. Listeners are called on a livesession or
 * transport thread and should return quickly. With Redis, an instance misses the events
 * that occur while it cannot reach Redis: {@link Presence} stays the source of truth for
 * the current state. Without Redis, the cluster is this one instance.
 *
 * @author livesession
 * @since 0.1.0
 * @see Presence
 */
public abstract class LivePresenceEvent extends PresenceEvent {

	private final Kind kind;

	/**
	 * Create an event.
	 * @param source the {@link Presence} that publishes it
	 * @param kind whether {@code id} names a user or a group
	 * @param id the user id or group id
	 * @param online whether the user or group is online after this transition
	 */
	protected LivePresenceEvent(Object source, Kind kind, String id, boolean online) {
		super(source, id, online);
		this.kind = kind;
	}

	/**
	 * Whether this event is about a user or a group.
	 * @return the kind
	 */
	public Kind getKind() {
		return this.kind;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + ((this.kind == Kind.USER) ? "userId" : "groupId") + "=" + getId()
				+ "]";
	}

	/**
	 * What a presence event is about.
	 */
	public enum Kind {

		/**
		 * A user, by user id.
		 */
		USER,

		/**
		 * A session group, by group id.
		 */
		GROUP

	}

}
