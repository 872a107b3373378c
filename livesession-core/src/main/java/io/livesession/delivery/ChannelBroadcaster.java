package io.livesession.delivery;

import java.nio.ByteBuffer;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.metrics.BroadcastObservationContext;
import io.livesession.metrics.BroadcastObservationConvention;
import io.livesession.metrics.DefaultBroadcastObservationConvention;
import io.livesession.protocol.ProtocolFrames;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPublication;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Broadcaster} that encodes a payload once and hands it to a
 * {@link DeliveryChannel}, observed as {@code livesession.broadcast}. A payload for a
 * topic becomes a {@code publication} frame; for a recoverable topic it is kept in the
 * {@link TopicLog} first, and its offset and epoch go into the frame.
 *
 * @author livesession
 */
final class ChannelBroadcaster implements Broadcaster {

	private final JsonMapper mapper;

	private static final DefaultBroadcastObservationConvention CONVENTION = new DefaultBroadcastObservationConvention();

	private final DeliveryChannel channel;

	private final ObservationRegistry observations;

	private final @Nullable BroadcastObservationConvention convention;

	private final ProtocolFrames frames;

	private final @Nullable TopicLog log;

	/*
	 * A recoverable topic's publications are appended and published under one of these,
	 * so that they reach this instance's members in offset order, as a recovering member
	 * needs.
	 */
	private final Object[] topicLocks = new Object[64];

	ChannelBroadcaster(JsonMapper mapper, DeliveryChannel channel, ObservationRegistry observations,
			@Nullable BroadcastObservationConvention convention, @Nullable TopicLog log) {
		this.convention = convention;
		this.frames = new ProtocolFrames(mapper);
		this.log = log;
		for (int i = 0; i < this.topicLocks.length; i++) {
			this.topicLocks[i] = new Object();
		}
		this.mapper = mapper;
		this.channel = channel;
		this.observations = observations;
	}

	@Override
	public int send(BroadcastTarget target, Object payload) {
		Assert.notNull(target, "'target' must not be null");
		Assert.notNull(payload, "'payload' must not be null");
		if (target instanceof BroadcastTarget.Topic topic) {
			String data = topicData(topic.name(), payload);
			TopicLog topicLog = this.log;
			if (topicLog == null || !topicLog.isRecoverable(topic.name())) {
				return observe(target, this.frames.publication(topic.name(), data, -1, null));
			}
			synchronized (this.topicLocks[Math.floorMod(topic.name().hashCode(), this.topicLocks.length)]) {
				TopicPublication publication = topicLog.append(topic.name(), data);
				return observe(target,
						this.frames.publication(topic.name(), data, publication.offset(), publication.epoch()));
			}
		}
		return observe(target, encode(payload));
	}

	private int observe(BroadcastTarget target, Frame frame) {
		if (this.observations.isNoop()) {
			return this.channel.publish(target, frame);
		}
		BroadcastObservationContext context = new BroadcastObservationContext(target, frame.isState());
		Observation observation = Observation
			.createNotStarted(this.convention, CONVENTION, () -> context, this.observations)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			int recipients = this.channel.publish(target, frame);
			context.setRecipients(recipients);
			return recipients;
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/** The JSON text a topic's publication carries as its {@code data}. */
	private String topicData(String topic, Object payload) {
		if (payload instanceof byte[] || payload instanceof ByteBuffer || payload instanceof Frame) {
			throw new IllegalArgumentException("A publication to topic '" + topic
					+ "' must be text or an object to serialize, not " + payload.getClass().getSimpleName());
		}
		return this.mapper.writeValueAsString(payload);
	}

	Frame encode(Object payload) {
		if (payload instanceof Frame frame) {
			return frame;
		}
		if (payload instanceof String text) {
			return Frame.text(text);
		}
		if (payload instanceof byte[] bytes) {
			return Frame.binary(bytes);
		}
		if (payload instanceof ByteBuffer buffer) {
			return Frame.binary(buffer);
		}
		return Frame.text(this.mapper.writeValueAsString(payload));
	}

}
