/**
 * The connection registry that knows every connection of this instance.
 */
@NullMarked
package io.livesession.registry;

import org.jspecify.annotations.NullMarked;
