/**
 * Part of the benchmark harness (docs/benchmarks.md).
 */
@NullMarked
package io.livesession.benchmarks.raw;

import org.jspecify.annotations.NullMarked;
