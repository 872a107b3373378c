package io.livesession;

import org.springframework.context.ApplicationEvent;

/**
 * A user opened their first connection in the cluster (on any instance).
 *
 * <p>
 * Every instance publishes it once per transition, in the order of the transitions, so
 * the events of one user alternate. Listeners are called on a livesession or transport
 * thread and should return quickly. With Redis, an instance misses the events that occur
 * while it cannot reach Redis: {@link Presence} stays the source of truth for the current
 * state. Without Redis, the cluster is this one instance.
 *
 * @author livesession
 * @see Presence
 * @since 0.1.0
 */
public class UserConnectedEvent extends ApplicationEvent {

	private final String userId;

	/**
	 * Create an event.
	 * @param source the {@link Presence} that publishes it
	 * @param userId the user id
	 */
	public UserConnectedEvent(Object source, String userId) {
		super(source);
		this.userId = userId;
	}

	/**
	 * The user.
	 * @return the user id
	 */
	public String getUserId() {
		return this.userId;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[userId=" + this.userId + "]";
	}

}
