/**
 * Part of the benchmark harness (docs/benchmarks.md).
 */
@NullMarked
package io.livesession.benchmarks.harness;

import org.jspecify.annotations.NullMarked;
