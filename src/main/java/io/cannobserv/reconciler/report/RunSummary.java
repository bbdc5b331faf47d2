package io.cannobserv.reconciler.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.report.RunReport.Brake;
import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.RelinkedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RequestsInFlight;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * A run's figures without its items: one row of {@code reconcile_run}, one line of the
 * run list, one point of the trend. Fields as in {@link RunReport}.
 */
record RunSummary(long runId, RunMode mode, String table, int partition, int partitions, String status, int exitCode,
		@Nullable String exitMessage, @Nullable Instant startedAt, @Nullable Instant endedAt,
		@Nullable Long workedMillis, int executions, @Nullable BuildVersion build, RunCounts counts, Brake brake,
		Strategy strategy, @Nullable String strategyReason, boolean relink, RunReport.@Nullable Snapshot snapshot,
		@Nullable RequestsInFlight requestsInFlight) {

	/** The status the human formats show for a run the safety brake halted. */
	static final String HALTED = "HALTED";

	RunReport report(List<ClearedPointer> cleared, List<ClearedPointer> wouldClear, List<RelinkedPointer> relinked,
			List<RelinkedPointer> wouldRelink, List<SkippedPointer> skipped) {
		return new RunReport(RunReport.SCHEMA_VERSION, this.runId, this.mode, this.table, this.partition,
				this.partitions, this.status, this.exitCode, this.exitMessage, this.startedAt, this.endedAt,
				this.workedMillis, this.executions, this.build, this.counts, this.brake, this.strategy,
				this.strategyReason, this.relink, this.snapshot, this.requestsInFlight, cleared, wouldClear, relinked,
				wouldRelink, skipped);
	}

	boolean applied() {
		return this.mode == RunMode.APPLY;
	}

	/**
	 * Cleared in apply mode, would clear in a dry run: one figure for a trend across
	 * modes.
	 */
	long clearedOrWouldClear() {
		return this.counts.get(applied() ? Outcome.CLEARED : Outcome.WOULD_CLEAR);
	}

	/**
	 * From the first start to the last end: the run's span, pauses between resumes
	 * included.
	 */
	@Nullable Duration span() {
		return (this.startedAt != null && this.endedAt != null) ? Duration.between(this.startedAt, this.endedAt) : null;
	}

	/**
	 * How long the run's executions worked, all together; the span for a run recorded
	 * before this was.
	 */
	@Nullable Duration worked() {
		return (this.workedMillis != null) ? Duration.ofMillis(this.workedMillis) : span();
	}

	/**
	 * {@code worked 12.3 s (span 2 h 03 min)}: the figure to read first, and the span
	 * beside it.
	 */
	String durations() {
		if (this.workedMillis == null) {
			return "took " + Figures.duration(span());
		}
		return "worked " + Figures.duration(worked()) + " (span " + Figures.duration(span()) + ")";
	}

	/** Whether the safety brake halted it. */
	boolean halted() {
		return this.brake.state() == BrakeState.TRIPPED;
	}

	/**
	 * Its status as every human format shows it: a run the safety brake halted is
	 * {@code HALTED}, not the {@code FAILED} that Spring Batch records.
	 */
	String displayStatus() {
		return halted() ? HALTED : this.status;
	}

	/** {@code 2/4} for a partition, empty when the pointers were not split. */
	String partitionLabel() {
		return (this.partitions > 1) ? this.partition + "/" + this.partitions : "";
	}

}
