/**
 * HTTP transport: {@code POST {endpoint}/actions/{name}} runs the same action handlers as
 * a WebSocket {@code action} frame.
 */
@NullMarked
package io.livesession.http;

import org.jspecify.annotations.NullMarked;
