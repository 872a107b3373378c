/**
 * Part of the benchmark harness (docs/benchmarks.md).
 */
@NullMarked
package io.livesession.benchmarks.live;

import org.jspecify.annotations.NullMarked;
