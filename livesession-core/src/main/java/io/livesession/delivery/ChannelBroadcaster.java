package io.livesession.delivery;

import java.nio.ByteBuffer;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.metrics.BroadcastObservationContext;
import io.livesession.metrics.BroadcastObservationConvention;
import io.livesession.metrics.DefaultBroadcastObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Broadcaster} that encodes a payload once and hands it to a
 * {@link DeliveryChannel}, observed as {@code livesession.broadcast}.
 *
 * @author livesession
 */
final class ChannelBroadcaster implements Broadcaster {

	private final JsonMapper mapper;

	private static final DefaultBroadcastObservationConvention CONVENTION = new DefaultBroadcastObservationConvention();

	private final DeliveryChannel channel;

	private final ObservationRegistry observations;

	private final @Nullable BroadcastObservationConvention convention;

	ChannelBroadcaster(JsonMapper mapper, DeliveryChannel channel, ObservationRegistry observations,
			@Nullable BroadcastObservationConvention convention) {
		this.convention = convention;
		this.mapper = mapper;
		this.channel = channel;
		this.observations = observations;
	}

	@Override
	public int send(BroadcastTarget target, Object payload) {
		Assert.notNull(target, "'target' must not be null");
		Assert.notNull(payload, "'payload' must not be null");
		Frame frame = encode(payload);
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
