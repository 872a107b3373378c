/**
 * Test support: a real WebSocket client for the live protocol, raw handshakes, and a
 * private Redis server.
 */
@NullMarked
package io.livesession.test;

import org.jspecify.annotations.NullMarked;
