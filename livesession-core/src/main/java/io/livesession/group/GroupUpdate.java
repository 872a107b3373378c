package io.livesession.group;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.livesession.Frame;
import org.jspecify.annotations.Nullable;

/**
 * What one atomic step of a {@link GroupStore} commits.
 *
 * @param <T> the result type
 * @param changes attribute name to new JSON text, {@code null} to remove
 * @param versioned whether a non-empty change raises the version (initial state does not)
 * @param result what the step returns
 * @param announcement builds the {@code state} frame of the group to be committed, for a
 * store that publishes it in the commit itself
 * ({@link GroupStore#publishesAnnouncements()}); {@code null} when there is nothing to
 * announce
 * @param afterCommit run with the committed group while it is still locked in this JVM,
 * so that pushes to clients leave in version order
 * @author livesession
 * @since 0.1.0
 */
public record GroupUpdate<T>(Map<String, @Nullable String> changes, boolean versioned, T result,
		@Nullable Function<StoredGroup, Frame> announcement, Consumer<StoredGroup> afterCommit) {

	/**
	 * A step without an announcement.
	 * @param changes attribute name to new JSON text, {@code null} to remove
	 * @param versioned whether a non-empty change raises the version
	 * @param result what the step returns
	 * @param afterCommit run with the committed group
	 */
	public GroupUpdate(Map<String, @Nullable String> changes, boolean versioned, T result,
			Consumer<StoredGroup> afterCommit) {
		this(changes, versioned, result, null, afterCommit);
	}

}
