/**
 * The counter sample.
 */
@NullMarked
package io.livesession.samples.counter;

import org.jspecify.annotations.NullMarked;
