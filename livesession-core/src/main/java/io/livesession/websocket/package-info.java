/**
 * The spring-websocket adapter that carries the live protocol over a raw WebSocket.
 */
@NullMarked
package io.livesession.websocket;

import org.jspecify.annotations.NullMarked;
