package io.livesession;

/**
 * Gives a new session group its initial attributes, e.g. a counter at 0. Called once when
 * a group is created, inside the same atomic step; the initial state has version 0.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface GroupInitializer {

	/**
	 * Set the initial attributes of a new group.
	 * @param state the new group's state
	 */
	void initialize(GroupState state);

}
