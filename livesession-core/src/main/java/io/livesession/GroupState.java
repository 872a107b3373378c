package io.livesession;

import org.jspecify.annotations.Nullable;

/**
 * The state of a session group inside an atomic update. Changes are committed together,
 * raise the version by one and are pushed to every connection of the group; if the update
 * throws, nothing is committed.
 *
 * @author livesession
 * @see SessionGroups#update(String, java.util.function.Function)
 * @since 0.1.0
 */
public interface GroupState extends SessionGroup {

	/**
	 * Set an attribute to a value serialized as JSON; {@code null} removes it. Setting an
	 * equal value is not a change.
	 * @param name the attribute name
	 * @param value the value
	 */
	void setAttribute(String name, @Nullable Object value);

	/**
	 * Remove an attribute.
	 * @param name the attribute name
	 */
	void removeAttribute(String name);

	/**
	 * Run a task once the update this state belongs to has been committed, and never if
	 * it fails or is run again on newer state: the place for side effects (a broadcast, a
	 * message to another system) of an update that may run more than once. Tasks run in
	 * registration order on the updating thread; one that throws is logged and does not
	 * undo the commit.
	 * @param task the task
	 * @since 0.1.0
	 */
	default void afterCommit(Runnable task) {
		throw new UnsupportedOperationException("This GroupState does not run after-commit tasks");
	}

}
