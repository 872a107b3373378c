/**
 * Part of the benchmark harness (docs/benchmarks.md).
 */
@NullMarked
package io.livesession.benchmarks.stomp;

import org.jspecify.annotations.NullMarked;
