package io.livesession;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A read-only snapshot of a session group: its id, its version and its attributes, each a
 * JSON document.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface SessionGroup {

	/**
	 * The group id.
	 * @return the id
	 */
	String getId();

	/**
	 * The version: 0 for a new group, then one more per committed change.
	 * @return the version
	 */
	long getVersion();

	/**
	 * The attribute names.
	 * @return the names
	 */
	Set<String> getAttributeNames();

	/**
	 * An attribute as a JSON tree.
	 * @param name the attribute name
	 * @return a copy of the tree, or {@code null} when absent
	 */
	@Nullable JsonNode getAttributeNode(String name);

	/**
	 * An attribute bound to a type with Jackson.
	 * @param <T> the type
	 * @param name the attribute name
	 * @param type the type
	 * @return the value, or {@code null} when absent
	 */
	<T> @Nullable T getAttribute(String name, Class<T> type);

	/**
	 * An attribute bound to a generic type with Jackson, for the types a {@code Class}
	 * cannot name:
	 *
	 * <pre class="code">
	 * List&lt;Item&gt; items = group.getAttribute("items", new ParameterizedTypeReference&lt;List&lt;Item&gt;&gt;() {
	 * });
	 * </pre>
	 * @param <T> the type
	 * @param name the attribute name
	 * @param type the type
	 * @return the value, or {@code null} when absent
	 */
	<T> @Nullable T getAttribute(String name, ParameterizedTypeReference<T> type);

}
