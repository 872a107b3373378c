/**
 * The shapes of the server's protocol frames ({@code hello}, {@code state},
 * {@code reply}, {@code error}), built in one place for the WebSocket endpoint, the HTTP
 * actions and the group state pushes.
 */
@NullMarked
package io.livesession.protocol;

import org.jspecify.annotations.NullMarked;
