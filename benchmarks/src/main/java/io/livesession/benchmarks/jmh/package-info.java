/**
 * Part of the benchmark harness (docs/benchmarks.md).
 */
@NullMarked
package io.livesession.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
