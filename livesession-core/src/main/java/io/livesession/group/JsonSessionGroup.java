package io.livesession.group;

import java.util.Map;
import java.util.Set;

import io.livesession.SessionGroup;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link SessionGroup} snapshot over stored JSON text, parsed on demand.
 *
 * @author livesession
 */
class JsonSessionGroup implements SessionGroup {

	private final StoredGroup stored;

	final JsonMapper mapper;

	JsonSessionGroup(StoredGroup stored, JsonMapper mapper) {
		this.stored = stored;
		this.mapper = mapper;
	}

	@Override
	public String getId() {
		return this.stored.id();
	}

	@Override
	public long getVersion() {
		return this.stored.version();
	}

	@Override
	public Set<String> getAttributeNames() {
		return this.stored.attributes().keySet();
	}

	Map<String, String> storedAttributes() {
		return this.stored.attributes();
	}

	@Override
	public @Nullable JsonNode getAttributeNode(String name) {
		String json = this.stored.attributes().get(name);
		return (json != null) ? this.mapper.readTree(json) : null;
	}

	@Override
	public <T> @Nullable T getAttribute(String name, Class<T> type) {
		JsonNode node = getAttributeNode(name);
		return (node != null) ? this.mapper.treeToValue(node, type) : null;
	}

	@Override
	public <T> @Nullable T getAttribute(String name, ParameterizedTypeReference<T> type) {
		JsonNode node = getAttributeNode(name);
		return (node != null) ? this.mapper.treeToValue(node, this.mapper.constructType(type.getType())) : null;
	}

	@Override
	public String toString() {
		return "SessionGroup[" + getId() + ", version " + getVersion() + ", " + getAttributeNames() + "]";
	}

}
