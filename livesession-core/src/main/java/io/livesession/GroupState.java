package io.livesession;

import org.jspecify.annotations.Nullable;

/**
 * The state of a session group inside an atomic update. Changes are committed together,
 * raise the version by one and are pushed to every connection of the group; if the update
 * throws, nothing is committed.
 *
 * @author livesession
 * @see SessionGroups#update(String, java.util.function.Function)
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

}
