package io.livesession.event;

import org.springframework.context.ApplicationEvent;

/**
 * Someone or something came online or went offline: the base of {@link LivePresenceEvent}
 * (a user or a session group in the cluster) and {@link TopicPresenceEvent} (a user in a
 * topic), so one listener can follow both.
 *
 * @author livesession
 * @since 0.1.0
 */
public abstract class PresenceEvent extends ApplicationEvent {

	private final String id;

	private final boolean online;

	/**
	 * Create an event.
	 * @param source what publishes it
	 * @param id the user id or group id whose presence changed
	 * @param online whether it is present after this transition
	 */
	protected PresenceEvent(Object source, String id, boolean online) {
		super(source);
		this.id = id;
		this.online = online;
	}

	/**
	 * The user id or group id whose presence changed.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Whether it is present after this transition: {@code true} for its first connection,
	 * {@code false} for its last one gone.
	 * @return whether it is online
	 */
	public boolean isOnline() {
		return this.online;
	}

}
