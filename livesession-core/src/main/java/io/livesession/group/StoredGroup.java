package io.livesession.group;

import java.util.Map;

/**
 * A group as a {@link GroupStore} holds it: attributes as JSON text.
 *
 * @param id the group id
 * @param version the version, 0 for a new group
 * @param attributes attribute name to JSON text
 * @param exists whether the group was stored before this step
 * @author livesession
 * @since 0.1.0
 */
public record StoredGroup(String id, long version, Map<String, String> attributes, boolean exists) {

	public StoredGroup {
		attributes = Map.copyOf(attributes);
	}

}
