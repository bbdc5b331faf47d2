package io.cannobserv.reconciler.report;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RequestsInFlight;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * What one run did: the document written to {@code run-<runId>.json}. A run resumed after
 * a failure keeps its id, and its report covers every execution. Its JSON Schema is
 * {@code docs/reference/report.schema.json}; a change to the document's shape raises
 * {@link #SCHEMA_VERSION}.
 *
 * @param schemaVersion the version of the document's shape: {@link #SCHEMA_VERSION}
 * (files written before versions were have none, and are version 1)
 * @param runId the run (job instance) id
 * @param mode dry run or apply
 * @param table the table and columns reconciled
 * @param partition the share of the pointers this run checked, from 0
 * @param partitions how many shares the pointers were split into
 * @param status the batch status of the latest execution (a run the brake halted is
 * {@code FAILED} here; the human formats call it {@code HALTED})
 * @param exitCode the process exit code
 * @param exitMessage why the run stopped, when it did not complete
 * @param startedAt when the run's first execution started
 * @param endedAt when the latest execution ended: from {@code startedAt}, the run's span
 * @param workedMillis how long its executions worked, all together; null for a run
 * recorded before this was
 * @param executions how many executions the run took (more than one after a resume)
 * @param build the version of the job that ran its latest execution; null, and left out
 * of the JSON as 0.1.0 wrote it, for a run recorded before versions were
 * @param counts committed counts per verdict and outcome
 * @param brake the safety brake's limits and whether they tripped
 * @param strategy how Watcher was asked ({@code --strategy}, as of the latest execution):
 * {@code per-item} or {@code snapshot}, what {@code auto} chose ({@code auto} only for a
 * run that ended before it chose)
 * @param strategyReason why, where {@code auto} chose; null, and left out of the JSON,
 * where the strategy was set
 * @param relink whether gone and mismatched pointers were re-linked where Watcher
 * confirms a WatchedItem that tracks their InfoItem ({@code --relink}, as of the latest
 * execution)
 * @param snapshot the snapshot of Watcher's list the first pass took last; null when it
 * took none
 * @param requestsInFlight the requests to Watcher the latest execution allowed in flight;
 * null, and left out of the JSON, for a run recorded before this was
 * @param cleared the pointers this run cleared
 * @param wouldClear the pointers a dry run would clear
 * @param relinked the pointers this run re-linked
 * @param wouldRelink the pointers a dry run would re-link
 * @param skipped pointers kept for a reason other than being live
 */
public record RunReport(int schemaVersion, long runId, RunMode mode, String table, int partition, int partitions,
		String status, int exitCode, @Nullable String exitMessage, @Nullable Instant startedAt,
		@Nullable Instant endedAt, @Nullable Long workedMillis, int executions,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BuildVersion build, RunCounts counts, Brake brake,
		Strategy strategy, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String strategyReason, boolean relink,
		@Nullable Snapshot snapshot,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable RequestsInFlight requestsInFlight,
		List<ClearedPointer> cleared, List<ClearedPointer> wouldClear, List<RelinkedPointer> relinked,
		List<RelinkedPointer> wouldRelink, List<SkippedPointer> skipped) {

	/** The version of the document's shape this release writes. */
	public static final int SCHEMA_VERSION = 2;

	/**
	 * The safety brake of a run.
	 *
	 * @param state whether a limit was passed, and with what effect
	 * @param limit the limit passed first ({@code max-clears} or
	 * {@code max-clear-fraction}), when not clear; null for a run recorded before this
	 * was
	 * @param message the limits passed, with the figures, when not clear
	 * @param override the options that let the run through ({@code --max-clears=7}, …),
	 * when not clear: a halted run's next chunk, a dry run's every chunk; null for a run
	 * recorded before this was
	 * @param notWritten pointers of the chunk the brake halted: judged, counted, listed,
	 * not written (0 unless tripped)
	 * @param maxClearFraction the share limit in force
	 * @param minSample the sample before the share is judged
	 * @param maxClears the cap in force, if any
	 */
	public record Brake(BrakeState state, @Nullable String limit, @Nullable String message, @Nullable String override,
			long notWritten, double maxClearFraction, long minSample, @Nullable Long maxClears) {
	}

	/**
	 * The snapshot of Watcher's list a run's first pass took.
	 *
	 * @param used whether it was complete and decided the pointers it holds; when not,
	 * every pointer was looked up by id
	 * @param items how many WatchedItems it held (0 when not used)
	 * @param millis how long taking it took
	 * @param requests how many requests it took
	 * @param reason why it was not used, on one line; null when used
	 */
	public record Snapshot(boolean used, long items, long millis, int requests, @Nullable String reason) {
	}

	/** The figures without the items: a row of the run history. */
	RunSummary summary() {
		return new RunSummary(this.runId, this.mode, this.table, this.partition, this.partitions, this.status,
				this.exitCode, this.exitMessage, this.startedAt, this.endedAt, this.workedMillis, this.executions,
				this.build, this.counts, this.brake, this.strategy, this.strategyReason, this.relink, this.snapshot,
				this.requestsInFlight);
	}

	/**
	 * A pointer cleared, or that a dry run would clear.
	 *
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer it had
	 * @param httpStatus Watcher's answer
	 * @param evidence Watcher's answer on one line, as audited
	 */
	public record ClearedPointer(String infoItemId, String watcherItemId, int httpStatus, String evidence) {
	}

	/**
	 * A pointer re-linked, or that a dry run would re-link.
	 *
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer it had
	 * @param relinkedTo the WatchedItem that tracks the InfoItem instead: the new pointer
	 * @param httpStatus Watcher's answer about the old pointer
	 * @param evidence Watcher's answer about the old pointer, on one line
	 * @param listEvidence the list's answer that names the new pointer
	 * @param confirmEvidence the lookup by id that confirmed its back-link
	 */
	public record RelinkedPointer(String infoItemId, String watcherItemId, String relinkedTo, int httpStatus,
			String evidence, String listEvidence, String confirmEvidence) {
	}

	/**
	 * A pointer kept and reported.
	 *
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer, as stored (it may be junk)
	 * @param verdict why it was kept: the name of a {@link Outcome#isReported() reported}
	 * outcome
	 * @param httpStatus Watcher's last answer, 0 when none came or none was asked
	 * @param reason the evidence on one line
	 */
	public record SkippedPointer(String infoItemId, String watcherItemId, String verdict, int httpStatus,
			String reason) {
	}

}
