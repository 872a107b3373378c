package io.livesession.group;

import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * What one atomic step of a {@link GroupStore} commits.
 *
 * @param <T> the result type
 * @param changes attribute name to new JSON text, {@code null} to remove
 * @param versioned whether a non-empty change raises the version (initial state does not)
 * @param result what the step returns
 * @param afterCommit run with the committed group while it is still locked, so that
 * pushes to clients leave in version order
 * @author livesession
 */
public record GroupUpdate<T>(Map<String, @Nullable String> changes, boolean versioned, T result,
		Consumer<StoredGroup> afterCommit) {

}
