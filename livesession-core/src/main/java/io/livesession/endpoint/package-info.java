/**
 * The live protocol engine: hello, actions, sync, replies and errors, independent of the
 * transport.
 */
@NullMarked
package io.livesession.endpoint;

import org.jspecify.annotations.NullMarked;
