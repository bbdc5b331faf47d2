package io.cannobserv.reconciler.prune;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.cli.OlderThan;
import io.cannobserv.reconciler.prune.PrunePlan.Kept;
import io.cannobserv.reconciler.prune.RunPruner.Deletion;
import io.cannobserv.reconciler.reconcile.ResumePolicy;
import io.cannobserv.reconciler.reconcile.ResumePolicy.LatestRun;
import io.cannobserv.reconciler.restore.RestorableWrites;
import io.cannobserv.reconciler.run.RunIdentity;

/**
 * Which old runs of the configured table prune deletes: those nothing reads any more.
 * Kept, whatever their age (see {@link KeepReason}): the latest run of each identity,
 * which decides whether the next reconcile resumes (and is resumed when unfinished); the
 * last success of each kind, which the metric reads; the runs of the newest brake sweep
 * of each kind, which the brake still judges; and, unless the operator says otherwise,
 * every run with a clear or re-link that restore would still put back. Runs made on
 * another table are left alone: whether restore could still undo them can only be judged
 * on that table.
 */
@Component
class Retention {

	private final RecordedRuns recordedRuns;

	private final ResumePolicy resumePolicy;

	private final RestorableWrites restorableWrites;

	private final RunRows rows;

	Retention(RecordedRuns recordedRuns, ResumePolicy resumePolicy, RestorableWrites restorableWrites, RunRows rows) {
		this.recordedRuns = recordedRuns;
		this.resumePolicy = resumePolicy;
		this.restorableWrites = restorableWrites;
		this.rows = rows;
	}

	/**
	 * Decide.
	 * @param olderThan which runs are old enough to go
	 * @param includeRestorable also delete runs that restore could still undo
	 * @param countRows whether to count the rows of the runs to delete, table by table
	 * (the dry run's figures; an applying prune counts what it deletes)
	 */
	PrunePlan plan(OlderThan olderThan, boolean includeRestorable, boolean countRows) {
		Instant cutoff = olderThan.cutoff();
		String table = this.recordedRuns.table();
		List<RecordedRun> old = new ArrayList<>();
		Map<String, Long> otherTables = new TreeMap<>();
		int newer = 0;
		Iterable<RecordedRun> runs = this.recordedRuns.all().values();
		for (RecordedRun run : runs) {
			if (!run.identity().table().equals(table)) {
				otherTables.merge(run.identity().table(), 1L, Long::sum);
			}
			else if (run.endedBefore(cutoff)) {
				old.add(run);
			}
			else {
				newer++;
			}
		}
		Map<Long, LatestRun> latest = new HashMap<>();
		this.resumePolicy.latestOfEveryIdentity().forEach((run) -> latest.put(run.runId(), run));
		Set<Long> lastSuccesses = lastSuccesses(runs, table);
		Set<Long> newestSweeps = this.recordedRuns.newestSweeps();
		Map<Long, Long> restorable = this.restorableWrites.byRun(old.stream().map(RecordedRun::runId).toList());
		List<Deletion> deletions = new ArrayList<>();
		List<Kept> kept = new ArrayList<>();
		for (RecordedRun run : old) {
			Set<KeepReason> reasons = EnumSet.noneOf(KeepReason.class);
			LatestRun latestRun = latest.get(run.runId());
			if (latestRun != null) {
				reasons.add(latestRun.resumes() ? KeepReason.UNFINISHED : KeepReason.LATEST_OF_ITS_KIND);
			}
			if (lastSuccesses.contains(run.runId())) {
				reasons.add(KeepReason.LAST_SUCCESS);
			}
			if (run.sweepId() != null && newestSweeps.contains(run.sweepId())) {
				reasons.add(KeepReason.BRAKE_NIGHT);
			}
			long writes = restorable.getOrDefault(run.runId(), 0L);
			if (writes > 0 && !includeRestorable) {
				reasons.add(KeepReason.RESTORABLE);
			}
			if (reasons.isEmpty()) {
				deletions.add(new Deletion(run, writes));
			}
			else {
				kept.add(new Kept(run, List.copyOf(reasons), writes));
			}
		}
		Map<String, Long> rows = new LinkedHashMap<>();
		if (countRows) {
			rows.putAll(this.rows.count(deletions.stream().map((deletion) -> deletion.run().runId()).toList()));
			rows.put(RunRows.SWEEP, emptiedSweeps(deletions, newestSweeps));
		}
		return new PrunePlan(table, olderThan, deletions, kept, newer, otherTables, rows);
	}

	/**
	 * The last run of each kind (mode, partition, partitions) on the table that exited 0:
	 * the runs whose end the last-success metric reads from the history.
	 */
	private static Set<Long> lastSuccesses(Iterable<RecordedRun> runs, String table) {
		Map<RunIdentity, Instant> last = new HashMap<>();
		for (RecordedRun run : runs) {
			if (succeeded(run, table)) {
				last.merge(run.identity(), Objects.requireNonNull(run.historyEndedAt()),
						(a, b) -> a.isAfter(b) ? a : b);
			}
		}
		Set<Long> lastSuccesses = new HashSet<>();
		for (RecordedRun run : runs) {
			if (succeeded(run, table) && Objects.equals(run.historyEndedAt(), last.get(run.identity()))) {
				lastSuccesses.add(run.runId());
			}
		}
		return lastSuccesses;
	}

	private static boolean succeeded(RecordedRun run, String table) {
		return run.identity().table().equals(table) && Objects.equals(run.exitCode(), 0)
				&& run.historyEndedAt() != null;
	}

	/**
	 * How many sweeps the deletions leave without runs: those deleted with their last
	 * run, unless the newest of their kind.
	 */
	private long emptiedSweeps(List<Deletion> deletions, Set<Long> newestSweeps) {
		Set<Long> deleted = new HashSet<>();
		deletions.forEach((deletion) -> deleted.add(deletion.run().runId()));
		return this.recordedRuns.sweepRuns()
			.entrySet()
			.stream()
			.filter((sweep) -> !newestSweeps.contains(sweep.getKey()))
			.filter((sweep) -> sweep.getValue().stream().anyMatch(deleted::contains))
			.filter((sweep) -> deleted.containsAll(sweep.getValue()))
			.count();
	}

}
