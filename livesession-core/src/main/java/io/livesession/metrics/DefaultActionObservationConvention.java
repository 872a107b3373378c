package io.livesession.metrics;

import io.micrometer.common.KeyValues;

/**
 * The default {@link ActionObservationConvention}: observation {@code livesession.action}
 * with the low-cardinality keys {@code livesession.action} (the action name) and
 * {@code livesession.outcome} ({@code success} or the error code), and the
 * high-cardinality key {@code livesession.connection} (the connection id).
 *
 * @author livesession
 * @since 0.1.0
 */
public class DefaultActionObservationConvention implements ActionObservationConvention {

	/** The observation name. */
	public static final String NAME = "livesession.action";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ActionObservationContext context) {
		return "live action " + context.getAction();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ActionObservationContext context) {
		return KeyValues.of("livesession.action", context.getAction(), "livesession.outcome", context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ActionObservationContext context) {
		return KeyValues.of("livesession.connection", context.getConnection().getId());
	}

}
