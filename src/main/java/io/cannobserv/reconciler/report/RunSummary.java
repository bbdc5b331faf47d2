package io.cannobserv.reconciler.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.report.RunReport.Brake;
import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;

/**
 * A run's figures without its items: one row of {@code reconcile_run}, one line of the run
 * list, one point of the trend. Fields as in {@link RunReport}.
 */
record RunSummary(long runId, String mode, int partition, int partitions, String status, int exitCode,
		@Nullable String exitMessage, @Nullable Instant startedAt, @Nullable Instant endedAt, int executions,
		RunCounts counts, Brake brake) {

	static final String APPLY = "apply";

	RunReport report(List<ClearedPointer> cleared, List<ClearedPointer> wouldClear, List<SkippedPointer> skipped) {
		return new RunReport(this.runId, this.mode, this.partition, this.partitions, this.status, this.exitCode,
				this.exitMessage, this.startedAt, this.endedAt, this.executions, this.counts, this.brake, cleared,
				wouldClear, skipped);
	}

	boolean applied() {
		return APPLY.equals(this.mode);
	}

	/** Cleared in apply mode, would clear in a dry run: one figure for a trend across modes. */
	long clearedOrWouldClear() {
		return applied() ? this.counts.cleared() : this.counts.wouldClear();
	}

	@Nullable Duration duration() {
		return (this.startedAt != null && this.endedAt != null) ? Duration.between(this.startedAt, this.endedAt)
				: null;
	}

	/** {@code 2/4} for a partition, empty when the pointers were not split. */
	String partitionLabel() {
		return (this.partitions > 1) ? this.partition + "/" + this.partitions : "";
	}

	boolean sameScope(RunSummary other) {
		return this.partition == other.partition && this.partitions == other.partitions;
	}

}
