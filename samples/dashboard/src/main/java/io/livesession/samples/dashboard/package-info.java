/**
 * The dashboard sample.
 */
@NullMarked
package io.livesession.samples.dashboard;

import org.jspecify.annotations.NullMarked;
