package io.cannobserv.reconciler.prune;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.run.RunIdentity;

/**
 * A run as the job's schema records it: in Spring Batch's tables, in the run history
 * ({@code reconcile_run}), or both (a run killed in its first execution has no history
 * row yet).
 *
 * @param runId its id (the job instance's)
 * @param identity its mode, partition and table
 * @param endedAt when it last did anything: the latest end or update of its executions or
 * of its history row; null when none is recorded
 * @param historyEndedAt its end as the run history has it, which the last-success metric
 * reads; null without a history row
 * @param exitCode its exit code as the run history has it, null without a history row
 * @param status its last execution's status, or the history's
 * @param sweepId the brake sweep (night) it is in, null when none
 */
record RecordedRun(long runId, RunIdentity identity, @Nullable Instant endedAt, @Nullable Instant historyEndedAt,
		@Nullable Integer exitCode, String status, @Nullable Long sweepId) {

	/** Whether it ended before {@code cutoff}: a run with no recorded time never is. */
	boolean endedBefore(Instant cutoff) {
		return this.endedAt != null && this.endedAt.isBefore(cutoff);
	}

	/** {@code run 42 (apply, partition 0 of 1, ended 2026-02-01T02:40:11Z)}. */
	String describe() {
		return "run " + this.runId + " (" + kind() + ", ended "
				+ ((this.endedAt != null) ? this.endedAt.truncatedTo(ChronoUnit.SECONDS) : "at an unknown time") + ")";
	}

	/** {@code apply, partition 0 of 1}. */
	String kind() {
		return this.identity.mode().label() + ", partition " + this.identity.partition() + " of "
				+ this.identity.partitions();
	}

}
