package io.livesession.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} for actions.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface ActionObservationConvention extends ObservationConvention<ActionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ActionObservationContext;
	}

}
