/**
 * Benchmark and soak harness: livesession (P) next to a raw {@code sendMessage} loop (R)
 * and Spring's STOMP simple broker (S). See docs/benchmarks.md.
 */
@NullMarked
package io.livesession.benchmarks;

import org.jspecify.annotations.NullMarked;
