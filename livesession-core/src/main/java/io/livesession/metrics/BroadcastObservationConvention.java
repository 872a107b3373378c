package io.livesession.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} for broadcasts.
 *
 * @author livesession
 * @since 0.1.0
 */
public interface BroadcastObservationConvention extends ObservationConvention<BroadcastObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof BroadcastObservationContext;
	}

}
