/**
 * The periodic jobs' shared lifecycle on Spring's task scheduler.
 */
@NullMarked
package io.livesession.scheduling;

import org.jspecify.annotations.NullMarked;
