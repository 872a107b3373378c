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

	/**
	 * The size of the group's state after these changes, as the state of a {@code hello}
	 * or full {@code state} frame encodes it in UTF-8: each attribute's quoted name, a
	 * colon, its JSON text and a comma, plus the braces. Exact for names that need no
	 * escaping; counted only as far as {@code limit}, past which the exact size does not
	 * matter.
	 * @param limit the largest size of interest
	 * @return the size, or a number above {@code limit}
	 */
	long encodedSize(long limit) {
		long size = 2;
		Map<String, String> stored = storedAttributes();
		Map<String, @Nullable String> changed = getChangesAsJson();
		for (Map.Entry<String, String> entry : stored.entrySet()) {
			if (!changed.containsKey(entry.getKey())) {
				size += utf8Length(entry.getKey()) + utf8Length(entry.getValue()) + 4;
				if (size > limit) {
					return size;
				}
			}
		}
		for (Map.Entry<String, @Nullable String> entry : changed.entrySet()) {
			String json = entry.getValue();
			if (json != null) {
				size += utf8Length(entry.getKey()) + utf8Length(json) + 4;
				if (size > limit) {
					return size;
				}
			}
		}
		return size;
	}

	/**
	 * The size of the stored state, before these changes, counted as far as
	 * {@code limit}.
	 * @param limit the largest size of interest
	 * @return the size, or a number above {@code limit}
	 */
	long storedSize(long limit) {
		long size = 2;
		for (Map.Entry<String, String> entry : storedAttributes().entrySet()) {
			size += utf8Length(entry.getKey()) + utf8Length(entry.getValue()) + 4;
			if (size > limit) {
				return size;
			}
		}
		return size;
	}

	private static long utf8Length(String text) {
		long length = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				length++;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				length += 4;
				i++;
			}
			else {
				length += 3;
			}
		}
		return length;
	}

}
