package io.livesession.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.livesession.GroupState;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link GroupState} that records changes as JSON trees; a change back to the stored
 * value is no change.
 *
 * @author livesession
 */
final class JsonGroupState extends JsonSessionGroup implements GroupState {

	private static final int MAX_NAME_LENGTH = 128;

	private final Map<String, @Nullable JsonNode> changes = new LinkedHashMap<>();

	private final List<Runnable> afterCommit = new ArrayList<>();

	JsonGroupState(StoredGroup stored, JsonMapper mapper) {
		super(stored, mapper);
	}

	@Override
	public Set<String> getAttributeNames() {
		Set<String> names = new HashSet<>(storedAttributes().keySet());
		this.changes.forEach((name, node) -> {
			if (node != null) {
				names.add(name);
			}
			else {
				names.remove(name);
			}
		});
		return Set.copyOf(names);
	}

	@Override
	public @Nullable JsonNode getAttributeNode(String name) {
		if (this.changes.containsKey(name)) {
			JsonNode node = this.changes.get(name);
			return (node != null) ? node.deepCopy() : null;
		}
		return super.getAttributeNode(name);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		validateName(name);
		JsonNode node = (value != null) ? this.mapper.valueToTree(value) : null;
		if (node == null || node.isNull()) {
			removeAttribute(name);
			return;
		}
		JsonNode stored = super.getAttributeNode(name);
		if (node.equals(stored)) {
			this.changes.remove(name);
		}
		else {
			this.changes.put(name, node);
		}
	}

	@Override
	public void removeAttribute(String name) {
		validateName(name);
		if (storedAttributes().containsKey(name)) {
			this.changes.put(name, null);
		}
		else {
			this.changes.remove(name);
		}
	}

	@Override
	public void afterCommit(Runnable task) {
		Assert.notNull(task, "'task' must not be null");
		this.afterCommit.add(task);
	}

	/**
	 * The tasks registered to run after the commit.
	 * @return the tasks
	 */
	List<Runnable> getAfterCommitTasks() {
		return this.afterCommit;
	}

	private static void validateName(String name) {
		Assert.hasText(name, "Attribute name must not be empty");
		Assert.isTrue(name.length() <= MAX_NAME_LENGTH, "Attribute name must not exceed 128 characters");
		Assert.isTrue(!name.startsWith("livesession:"), "Attribute names starting with 'livesession:' are reserved");
	}

	/**
	 * The changes so far: name to tree, {@code null} for removed.
	 * @return the changes
	 */
	Map<String, @Nullable JsonNode> getChanges() {
		return this.changes;
	}

	/**
	 * The changes as stored JSON text.
	 * @return name to JSON text, {@code null} for removed
	 */
	Map<String, @Nullable String> getChangesAsJson() {
		Map<String, @Nullable String> json = new LinkedHashMap<>();
		this.changes
			.forEach((name, node) -> json.put(name, (node != null) ? this.mapper.writeValueAsString(node) : null));
		return json;
	}

}
