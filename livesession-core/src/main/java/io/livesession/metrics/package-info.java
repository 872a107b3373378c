/**
 * Observability hooks: {@link io.livesession.metrics.LiveMetrics} counts what delivery
 * does, {@link io.livesession.metrics.MicrometerLiveMetrics} records it in a Micrometer
 * {@code MeterRegistry}, and the observation contexts describe actions and broadcasts to
 * a Micrometer {@code ObservationRegistry}.
 */
@NullMarked
package io.livesession.metrics;

import org.jspecify.annotations.NullMarked;
