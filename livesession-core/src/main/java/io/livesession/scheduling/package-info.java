/**
 * Scheduled work: the periodic jobs' shared lifecycle on Spring's task scheduler, and the
 * {@link io.livesession.scheduling.ClusterLeader} that says which instance of a cluster
 * runs the jobs meant to run once per cluster.
 */
@NullMarked
package io.livesession.scheduling;

import org.jspecify.annotations.NullMarked;
