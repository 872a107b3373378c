package io.livesession.topic;

import io.livesession.LiveConnection;
import io.livesession.Topics;

/**
 * Decides whether a client's {@code subscribe} frame may join its connection to a topic.
 * Without a bean of this type every {@code subscribe} is refused with {@code forbidden}:
 * topics are joined by server code only, unless the application says who may join what:
 *
 * <pre class="code">
 * &#64;Bean
 * TopicAuthorizer rooms() {
 *     return (connection, topic) -&gt; topic.startsWith("room:") &amp;&amp; connection.getUserId() != null;
 * }
 * </pre>
 *
 * Called on the transport's thread for each {@code subscribe}; it must not block for
 * long. Joins made by server code ({@link Topics#join}) are not checked.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface TopicAuthorizer {

	/**
	 * Whether the connection may join the topic.
	 * @param connection the connection asking
	 * @param topic a valid topic name
	 * @return {@code true} to allow
	 */
	boolean canSubscribe(LiveConnection connection, String topic);

}
