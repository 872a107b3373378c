/**
 * Outbound delivery: per-connection queues, broadcast target matching and payload
 * encoding.
 */
@NullMarked
package io.livesession.delivery;

import org.jspecify.annotations.NullMarked;
