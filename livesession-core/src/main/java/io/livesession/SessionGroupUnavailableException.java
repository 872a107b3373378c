package io.livesession;

import org.jspecify.annotations.Nullable;

/**
 * The group store cannot be reached; nothing was changed. Clients get the error code
 * {@code unavailable}.
 *
 * @author livesession
 * @since 0.1.0
 */
public class SessionGroupUnavailableException extends RuntimeException {

	public SessionGroupUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
