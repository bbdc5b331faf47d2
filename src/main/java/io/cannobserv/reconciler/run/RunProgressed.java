package io.cannobserv.reconciler.run;

import java.time.Instant;

/**
 * How far a reconcile run has got, as of its last committed chunk: published on the run's
 * thread when an execution starts, when its first pass knows how many pointers it has, at
 * most every {@code reconciler.progress-interval} after a chunk commits, and once more,
 * with {@code running} false, when the execution ends. A listener must not throw: the run
 * goes on without it.
 *
 * @param runId the run
 * @param counts what the run committed so far, its earlier executions included
 * @param total how many pointers the run checks in all: what it had checked before this
 * execution plus what its partition still holds past the reader's position (until the
 * first pass starts, what it has checked)
 * @param lastCommit when the run's last chunk committed; before this execution's first
 * chunk, when the execution started
 * @param running whether the execution goes on; false in the last event of an execution
 */
public record RunProgressed(long runId, RunCounts counts, long total, Instant lastCommit, boolean running) {

}
