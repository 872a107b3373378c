package io.livesession.topic;

import java.util.Set;

import io.livesession.LiveConnection;
import io.livesession.Topics;
import org.jspecify.annotations.Nullable;

/**
 * A connection that can be in topics: it keeps its own topics and joins and leaves them
 * through the {@link Topics} of its instance, which binds it when it is registered. The
 * connections of livesession's endpoint are members; for the {@link Topics}
 * implementation only.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface TopicMember extends LiveConnection {

	/**
	 * Let this connection join and leave topics through the topics of its instance.
	 * @param topics the topics of this instance
	 */
	void bindTopics(Topics topics);

	/**
	 * The topics bound by {@link #bindTopics(Topics)}.
	 * @return the topics, or {@code null} before the connection was registered
	 */
	@Nullable Topics getBoundTopics();

	/**
	 * The live set of this connection's topics: changes and reads hold its monitor, so
	 * that one connection's joins, leaves and close happen one at a time.
	 * @return the set
	 */
	Set<String> topicMemberships();

}
