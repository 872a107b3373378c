/**
 * Actuator support for livesession.
 */
@NullMarked
package io.livesession.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
