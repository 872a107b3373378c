package io.livesession.metrics;

import io.micrometer.common.KeyValues;

/**
 * The default {@link BroadcastObservationConvention}: observation
 * {@code livesession.broadcast} with the low-cardinality keys {@code livesession.target}
 * (the kind of target) and {@code livesession.frame} ({@code state} or {@code message}),
 * and the high-cardinality key {@code livesession.recipients} (the connections of this
 * instance the frame was queued for).
 *
 * @author livesession
 * @since 0.1.0
 */
public class DefaultBroadcastObservationConvention implements BroadcastObservationConvention {

	/** The observation name. */
	public static final String NAME = "livesession.broadcast";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(BroadcastObservationContext context) {
		return "live broadcast " + context.getTargetKind();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(BroadcastObservationContext context) {
		return KeyValues.of("livesession.target", context.getTargetKind(), "livesession.frame",
				context.isState() ? "state" : "message");
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(BroadcastObservationContext context) {
		return KeyValues.of("livesession.recipients", String.valueOf(context.getRecipients()));
	}

}
