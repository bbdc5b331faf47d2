/**
 * The throughput and start-up benchmark ({@code bench/benchmark.sh}): not a test, and not
 * run by {@code mvn verify}. It runs the real jar as a child process against a PostgreSQL
 * and a fake Watcher (WireMock standalone) of its own, and prints the job beside its
 * limits.
 */
@NullMarked
package io.cannobserv.reconciler.bench;

import org.jspecify.annotations.NullMarked;
