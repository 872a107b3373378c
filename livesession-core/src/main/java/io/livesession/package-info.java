/**
 * Public API of livesession: connections, session groups, broadcasting and action
 * handlers.
 */
@NullMarked
package io.livesession;

import org.jspecify.annotations.NullMarked;
