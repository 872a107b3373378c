package io.livesession;

/**
 * A change was refused because it would make its group's encoded state larger than the
 * limit ({@code livesession.group.max-size}); nothing was changed. Answered with the
 * error code {@link #TOO_LARGE} (protocol 1.1).
 *
 * @author livesession
 * @since 0.1.0
 */
public class GroupTooLargeException extends LiveActionException {

	/** The error code of a change that would make the group's state too large. */
	public static final String TOO_LARGE = "too_large";

	private final long maxSize;

	public GroupTooLargeException(String groupId, long maxSize) {
		super(TOO_LARGE,
				"The change would make the group's state larger than " + maxSize + " bytes; nothing was changed");
		this.maxSize = maxSize;
	}

	/**
	 * The limit that was exceeded.
	 * @return the largest encoded state, in bytes
	 */
	public long getMaxSize() {
		return this.maxSize;
	}

}
