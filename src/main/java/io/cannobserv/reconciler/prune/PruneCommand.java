package io.cannobserv.reconciler.prune;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.cli.OlderThan;
import io.cannobserv.reconciler.guard.DatabaseUse;
import io.cannobserv.reconciler.guard.Preflight;
import io.cannobserv.reconciler.guard.PreflightException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.prune.PrunePlan.Kept;
import io.cannobserv.reconciler.prune.RunPruner.Deletion;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.store.PrunedRuns;
import io.cannobserv.reconciler.store.PrunedRuns.PrunedRun;

/**
 * {@code prune [--apply] [--older-than=90d|DATE] [--include-restorable]}: deletes the
 * runs of the configured table that ended before the cutoff from the job's own schema,
 * except those that something still reads (see {@link Retention}). A dry run (the
 * default) says exactly what it would delete, table by table, and which old runs it keeps
 * and why. Under the locks of reconcile and restore, so it never races either; each run
 * goes in short transactions (see {@link RunPruner}), so it is safe to stop and run
 * again.
 */
@Component("prune")
class PruneCommand implements Command {

	/** The argument that says which runs are old: a duration or a date. */
	static final String OLDER_THAN = CommandLine.OLDER_THAN;

	/** The flag that prunes runs restore could still undo, too. */
	static final String INCLUDE_RESTORABLE = CommandLine.INCLUDE_RESTORABLE;

	private static final Logger logger = LoggerFactory.getLogger(PruneCommand.class);

	private final RunLocks runLocks;

	private final Preflight preflight;

	private final JobSchema jobSchema;

	private final PrunedRuns prunedRuns;

	private final Retention retention;

	private final RunPruner pruner;

	private final RunRows rows;

	private final Clock clock;

	PruneCommand(RunLocks runLocks, Preflight preflight, JobSchema jobSchema, PrunedRuns prunedRuns,
			Retention retention, RunPruner pruner, RunRows rows) {
		this.runLocks = runLocks;
		this.preflight = preflight;
		this.jobSchema = jobSchema;
		this.prunedRuns = prunedRuns;
		this.retention = retention;
		this.pruner = pruner;
		this.rows = rows;
		this.clock = Clock.systemUTC();
	}

	@Override
	public ExitCode run(CommandLine commandLine, PrintStream out) {
		// the arguments first: a typo is refused before the database is asked anything
		OlderThan olderThan = OlderThan.parse(commandLine.argument(OLDER_THAN), this.clock);
		boolean includeRestorable = commandLine.argument(INCLUDE_RESTORABLE) != null;
		boolean apply = commandLine.apply();
		RunMode mode = apply ? RunMode.APPLY : RunMode.DRY_RUN;
		try (RunLock lock = this.runLocks.prune()) {
			try {
				this.preflight.checkDatabase(DatabaseUse.PRUNE, mode, apply ? privileges() : Map.of());
			}
			catch (PreflightException ex) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED, ex.getMessage());
			}
			this.jobSchema.migrate();
			List<PrunedRun> unfinished = this.prunedRuns.unfinished();
			Map<String, Long> leftovers = apply ? this.pruner.finish(unfinished)
					: items(this.rows.count(unfinished.stream().map(PrunedRun::runId).toList()));
			PrunePlan plan = this.retention.plan(olderThan, includeRestorable, !apply);
			Map<String, Long> deleted = apply ? delete(plan) : plan.rows();
			String summary = summary(mode, plan, deleted, unfinished, leftovers);
			out.print(summary);
			logger.info("Prune ({}) of {}: {} {} run(s) ({} rows), kept {} old run(s) and {} newer; {}", mode.label(),
					this.jobSchema.name(), apply ? "deleted" : "would delete", plan.deletions().size(), total(deleted),
					plan.kept().size(), plan.newer(), plan.olderThan().describe());
			return ExitCode.COMPLETED;
		}
	}

	/**
	 * Deletes the plan's runs, one after another, oldest first.
	 * @return rows deleted, by table, in the order a dry run lists them
	 */
	private Map<String, Long> delete(PrunePlan plan) {
		Map<String, Long> deleted = new LinkedHashMap<>();
		RunRows.deletedFrom().forEach((table) -> deleted.put(table, 0L));
		for (Deletion deletion : plan.deletions()) {
			this.pruner.prune(deletion, plan.olderThan())
				.forEach((table, count) -> deleted.merge(table, count, Long::sum));
		}
		return deleted;
	}

	/**
	 * What an applying prune needs on the job's tables beyond owning them: an owner may
	 * have revoked its own.
	 */
	private static Map<String, List<String>> privileges() {
		Map<String, List<String>> privileges = new LinkedHashMap<>();
		RunRows.deletedFrom().forEach((table) -> privileges.put(table, List.of("DELETE")));
		privileges.put(PrunedRuns.TABLE, List.of("INSERT", "UPDATE"));
		return privileges;
	}

	private static Map<String, Long> items(Map<String, Long> rows) {
		Map<String, Long> items = new LinkedHashMap<>();
		RunRows.ITEMS.forEach((table) -> items.put(table, rows.getOrDefault(table, 0L)));
		return items;
	}

	/** What the prune did, or would do, for the operator. */
	private String summary(RunMode mode, PrunePlan plan, Map<String, Long> rows, List<PrunedRun> unfinished,
			Map<String, Long> leftovers) {
		boolean apply = mode == RunMode.APPLY;
		StringBuilder text = new StringBuilder("\n");
		text.append("Prune of ")
			.append(this.jobSchema.name())
			.append(" (")
			.append(mode.label())
			.append("), table ")
			.append(plan.table())
			.append(": ")
			.append(plan.olderThan().describe())
			.append('\n');
		if (!unfinished.isEmpty()) {
			text.append("  ")
				.append(apply ? "finished " : "would finish ")
				.append(unfinished.size())
				.append(" run(s) that an interrupted prune had begun to delete (")
				.append(ids(unfinished.stream().map(PrunedRun::runId).toList()))
				.append("): ")
				.append(total(leftovers))
				.append(" row(s)\n");
		}
		List<Long> deleted = plan.deletions().stream().map((deletion) -> deletion.run().runId()).toList();
		if (deleted.isEmpty()) {
			text.append("  no run to delete\n");
		}
		else {
			text.append("  ")
				.append(apply ? "deleted " : "would delete ")
				.append(deleted.size())
				.append(" run(s): ")
				.append(ids(deleted))
				.append('\n');
			text.append("    rows by table:\n");
			int width = rows.keySet().stream().mapToInt(String::length).max().orElse(5);
			rows.forEach((table, count) -> text.append(String.format("      %-" + width + "s %10d%n", table, count)));
			text.append(String.format("      %-" + width + "s %10d%n", "total", total(rows)));
			for (Deletion deletion : plan.deletions()) {
				if (deletion.restorableWrites() > 0) {
					text.append("    ")
						.append(deletion.run().describe())
						.append(": ")
						.append(deletion.restorableWrites())
						.append(" clear(s) or re-link(s) that restore could still put back, ")
						.append(apply ? "pruned" : "would be pruned")
						.append(" all the same (--include-restorable): they can no longer be undone\n");
				}
			}
		}
		if (!plan.kept().isEmpty()) {
			text.append("  keeps ").append(plan.kept().size()).append(" old run(s):\n");
			for (Kept kept : plan.kept()) {
				text.append("    ")
					.append(kept.run().describe())
					.append(": ")
					.append(kept.reasons()
						.stream()
						.map((reason) -> explain(reason, kept))
						.collect(Collectors.joining("; ")))
					.append('\n');
			}
		}
		text.append("  keeps ").append(plan.newer()).append(" run(s) that ended since then, or are under way\n");
		if (!plan.otherTables().isEmpty()) {
			text.append("  leaves alone ")
				.append(plan.otherTables().values().stream().mapToLong(Long::longValue).sum())
				.append(" run(s) made on other tables (")
				.append(plan.otherTables()
					.entrySet()
					.stream()
					.map((table) -> table.getKey() + ": " + table.getValue())
					.collect(Collectors.joining(", ")))
				.append("): prune with reconciler.archiver.* set to such a table to prune its runs\n");
		}
		if (!apply && (!deleted.isEmpty() || !unfinished.isEmpty())) {
			text.append("  dry run: nothing deleted; run with --apply to delete\n");
		}
		return text.toString();
	}

	/** Why a run is kept, for the operator. */
	private static String explain(KeepReason reason, Kept kept) {
		RecordedRun run = kept.run();
		return switch (reason) {
			case UNFINISHED ->
				"unfinished (" + run.status() + "): the next `" + reconcile(run.identity()) + "` resumes it";
			case LATEST_OF_ITS_KIND -> "the latest run of its kind: the next `" + reconcile(run.identity())
					+ "` decides from it whether to resume";
			case LAST_SUCCESS ->
				"the last success of its kind: reconciler_run_last_success_timestamp_seconds is read" + " from it";
			case BRAKE_NIGHT -> "in the latest night of its kind (brake sweep " + run.sweepId()
					+ "), which the safety brake still judges";
			case RESTORABLE ->
				kept.restorableWrites() + " clear(s) or re-link(s) that restore could still put back (restore --run "
						+ run.runId() + "); --include-restorable prunes it all the same";
		};
	}

	/** The command line of the next run of an identity. */
	private static String reconcile(RunIdentity identity) {
		return "reconcile" + ((identity.mode() == RunMode.APPLY) ? " --apply" : "") + (identity.partitioned()
				? " --partition=" + identity.partition() + " --partitions=" + identity.partitions() : "");
	}

	/** Run ids, ascending, consecutive ones as ranges: {@code 3, 7-12, 15}. */
	static String ids(List<Long> runIds) {
		List<Long> sorted = runIds.stream().sorted().toList();
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < sorted.size(); i++) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
				j++;
			}
			parts.add((j > i + 1) ? sorted.get(i) + "-" + sorted.get(j)
					: (j == i + 1) ? sorted.get(i) + ", " + sorted.get(j) : String.valueOf(sorted.get(i)));
			i = j;
		}
		return String.join(", ", parts);
	}

	private static long total(Map<String, Long> rows) {
		return rows.values().stream().mapToLong(Long::longValue).sum();
	}

}
