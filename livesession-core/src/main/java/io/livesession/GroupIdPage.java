package io.livesession;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of group ids from {@link SessionGroups#findIds(String, int)}: the ids, and the
 * cursor that fetches the next page, {@code null} after the last one.
 * <p>
 * The cursor is opaque: pass back the one you got. Like Redis {@code SCAN}, a walk from
 * the first page to the last returns every group that existed during the whole walk at
 * least once; a group created or deleted meanwhile may or may not appear, and on Redis an
 * id can appear twice, so collect ids into a set when it matters.
 *
 * @param ids the group ids of this page, possibly empty even when more pages follow
 * @param nextCursor the cursor of the next page, or {@code null} when this is the last
 * @author livesession
 * @since 0.1.0
 */
public record GroupIdPage(List<String> ids, @Nullable String nextCursor) {

	/** The cursor of the first page. */
	public static final String FIRST = "0";

	public GroupIdPage {
		ids = List.copyOf(ids);
	}

	/**
	 * Whether this is the last page.
	 * @return {@code true} when there is no next cursor
	 */
	public boolean isLast() {
		return this.nextCursor == null;
	}

}
