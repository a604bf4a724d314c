/**
 * JMH benchmarks of the transparency log, never shipped: {@code ./bench/run} builds
 * {@code bench/target/benchmarks.jar}, runs them and writes {@code docs/benchmarks.md} through
 * {@link org.truce.bench.Report}.
 */
package org.truce.bench;
