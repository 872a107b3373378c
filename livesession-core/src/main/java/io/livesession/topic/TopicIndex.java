package io.livesession.topic;

import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.registry.RegistryListener;

/**
 * The {@link Topics} of one instance with what delivery and the endpoint need: the
 * delivery loop of a topic's publications to its local members, and the hold-back of live
 * publications while a connection recovers a topic. As a {@link RegistryListener} it lets
 * a registered connection join topics and makes a closed one leave them all.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface TopicIndex extends Topics, RegistryListener {

	/**
	 * Queue a publication for every local member of its topic; a member recovering the
	 * topic gets it after its replay instead.
	 * @param topic the topic
	 * @param frame the {@code publication} frame
	 * @return how many members it was queued (or held back) for
	 */
	int deliver(String topic, Frame frame);

	/**
	 * Start holding back the live publications of a topic for a connection, before it
	 * joins to recover the topic.
	 * @param connection the connection
	 * @param topic the topic
	 */
	void holdBack(LiveConnection connection, String topic);

	/**
	 * End a hold-back once the replay was queued: the publications held back with an
	 * offset after the last replayed one are queued, once and in order, and later ones at
	 * or before it are dropped.
	 * @param connection the connection
	 * @param topic the topic
	 * @param lastOffset the offset of the last publication the connection has, replayed
	 * or not
	 */
	void release(LiveConnection connection, String topic, long lastOffset);

	/**
	 * How many topics a connection may be in.
	 * @return the limit
	 */
	int getMaxPerConnection();

}
