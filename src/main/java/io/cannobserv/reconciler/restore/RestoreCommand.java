package io.cannobserv.reconciler.restore;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.archiver.PointerTable.Restore;
import io.cannobserv.reconciler.archiver.PointerTable.SinceClear;
import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.cli.UsageException;
import io.cannobserv.reconciler.guard.DatabaseUse;
import io.cannobserv.reconciler.guard.Preflight;
import io.cannobserv.reconciler.guard.PreflightException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.store.PrunedRuns;

/**
 * {@code restore --run ID [--apply]}: puts back the pointers a run cleared or re-linked,
 * from the audit, only while each write is still the last thing that happened to its row
 * (see {@link RestoreDecision}); compare-and-set again. An InfoItem changed or deleted
 * since is left alone, one written again by a later run or changed in Archiver is
 * superseded; both are reported. Every decision of an applying restore is recorded. A dry
 * run (the default) says what it would do, decided by the same rule.
 */
@Component("restore")
class RestoreCommand implements Command {

	private static final Logger logger = LoggerFactory.getLogger(RestoreCommand.class);

	private static final int BATCH = 500;

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final RunLocks runLocks;

	private final JobSchema jobSchema;

	private final PointerTable pointerTable;

	private final Preflight preflight;

	private final PrunedRuns prunedRuns;

	RestoreCommand(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, RunLocks runLocks,
			JobSchema jobSchema, PointerTable pointerTable, Preflight preflight, PrunedRuns prunedRuns) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.runLocks = runLocks;
		this.jobSchema = jobSchema;
		this.pointerTable = pointerTable;
		this.preflight = preflight;
		this.prunedRuns = prunedRuns;
	}

	@Override
	public ExitCode run(CommandLine commandLine, PrintStream out) throws Exception {
		Long runId = commandLine.runId();
		if (runId == null) {
			throw new UsageException("restore needs the run to undo: restore --run ID (see report for run ids)");
		}
		boolean apply = commandLine.apply();
		try (RunLock lock = this.runLocks.restore()) {
			try {
				this.preflight.checkDatabase(DatabaseUse.RESTORE, apply ? RunMode.APPLY : RunMode.DRY_RUN);
			}
			catch (PreflightException ex) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED, ex.getMessage());
			}
			this.jobSchema.migrate();
			refusePruned(runId);
			refuseAnotherTable(runId);
			List<Clear> clears = pendingClears(runId);
			if (clears.isEmpty() && clearCount(runId) == 0) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED,
						"Run " + runId + " cleared no pointers (or does not exist): nothing to restore; see report");
			}
			List<Clear> restored = new ArrayList<>();
			List<NotRestored> notRestored = new ArrayList<>();
			for (int from = 0; from < clears.size(); from += BATCH) {
				List<Clear> batch = clears.subList(from, Math.min(from + BATCH, clears.size()));
				if (apply) {
					this.transaction.executeWithoutResult((status) -> restore(runId, batch, restored, notRestored));
				}
				else {
					decide(batch).forEach((clear, decision) -> {
						if (decision.restores()) {
							restored.add(clear);
						}
						else {
							notRestored.add(new NotRestored(clear, decision));
						}
					});
				}
			}
			print(out, runId, apply, clears.size(), restored, notRestored);
			return ExitCode.COMPLETED;
		}
	}

	/**
	 * A pruned run's audit is gone, or going: an interrupted prune may have left part of
	 * it, which must not be half undone.
	 */
	private void refusePruned(long runId) {
		this.prunedRuns.find(runId).ifPresent((run) -> {
			throw new CommandRefusedException(ExitCode.NOT_STARTED, run.describe()
					+ ", and its audit with it, so nothing of it can be restored"
					+ ((run.restorableClears() > 0) ? " (it was pruned with --include-restorable while restore could"
							+ " still have put back " + run.restorableClears() + " of its clears or re-links)" : ""));
		});
	}

	/**
	 * A run made on another table is not this table's to undo: its ids may mean other
	 * rows here.
	 */
	private void refuseAnotherTable(long runId) {
		String configured = this.pointerTable.table().identity();
		List<String> tables = this.jdbc.queryForList(
				"SELECT DISTINCT archiver_table FROM " + this.jobSchema.table("pointer_clear")
						+ " WHERE run_id = :runId AND archiver_table <> :archiverTable",
				new MapSqlParameterSource("runId", runId).addValue("archiverTable", configured), String.class);
		if (!tables.isEmpty()) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED, "Run " + runId + " reconciled " + tables.get(0)
					+ ", not the configured " + configured + ": set reconciler.archiver.* to that table to restore it");
		}
	}

	/**
	 * Decides each clear of the batch, puts back those that may be, and records every
	 * decision. A row that changed between the decision and the compare-and-set is
	 * decided again.
	 */
	private void restore(long runId, List<Clear> batch, List<Clear> restored, List<NotRestored> notRestored) {
		Map<Clear, RestoreDecision> decisions = decide(batch);
		List<Clear> restorable = batch.stream().filter((clear) -> decisions.get(clear).restores()).toList();
		int[] updates = this.pointerTable.restore(restorable.stream().map((clear) -> clear.restore(runId)).toList(),
				RestoreOutcome.RESTORED.name());
		Map<Clear, Integer> written = new HashMap<>();
		for (int i = 0; i < restorable.size(); i++) {
			written.put(restorable.get(i), updates[i]);
		}
		// in the batch's order, as the dry run lists them
		List<NotRestored> kept = new ArrayList<>();
		for (Clear clear : batch) {
			RestoreDecision decision = decisions.get(clear);
			if (decision.restores() && written.get(clear) == 1) {
				restored.add(clear);
				logger.info("Restored pointer of InfoItem {} to WatchedItem {} ({} by run {})", clear.infoItemId(),
						clear.watcherItemId(), clear.what(), runId);
			}
			else if (decision.restores()) {
				RestoreDecision again = decide(List.of(clear)).get(clear);
				kept.add(new NotRestored(clear, again.restores()
						? new RestoreDecision(RestoreOutcome.LEFT_ALONE, "changed while restoring; run restore again")
						: again));
			}
			else {
				kept.add(new NotRestored(clear, decision));
			}
		}
		if (!kept.isEmpty()) {
			this.jdbc.batchUpdate(
					"INSERT INTO " + this.jobSchema.table("pointer_restore")
							+ " (clear_id, run_id, info_item_id, watcher_item_id, outcome, detail)"
							+ " VALUES (:clearId, :runId, :infoItemId, :watcherItemId, :outcome, :detail)",
					kept.stream()
						.map((n) -> n.clear()
							.parameters(runId)
							.addValue("outcome", n.decision().outcome().name())
							.addValue("detail", n.decision().detail()))
						.toArray(SqlParameterSource[]::new));
			kept.forEach((n) -> logger.info("Did not restore InfoItem {}: {}: {}", n.clear().infoItemId(),
					n.decision().outcome().label(), n.decision().detail()));
		}
		notRestored.addAll(kept);
	}

	/** The decision on each clear, in the batch's order, from what happened since. */
	private Map<Clear, RestoreDecision> decide(List<Clear> batch) {
		Map<Long, SinceClear> since = this.pointerTable.sinceClears(batch.stream().map(Clear::clearId).toList());
		Map<Clear, RestoreDecision> decisions = new LinkedHashMap<>();
		for (Clear clear : batch) {
			SinceClear row = since.get(clear.clearId());
			decisions.put(clear, (row != null) ? RestoreDecision.of(row, clear.relinkedTo())
					: new RestoreDecision(RestoreOutcome.LEFT_ALONE, "written on another table"));
		}
		return decisions;
	}

	private List<Clear> pendingClears(long runId) {
		return this.jdbc.query("SELECT c.clear_id, c.info_item_id, c.watcher_item_id, c.relinked_to FROM "
				+ this.jobSchema.table("pointer_clear") + " c WHERE c.run_id = :runId AND NOT EXISTS (SELECT 1 FROM "
				+ this.jobSchema.table("pointer_restore")
				+ " r WHERE r.clear_id = c.clear_id AND r.outcome = :restored) ORDER BY c.info_item_id",
				new MapSqlParameterSource("runId", runId).addValue("restored", RestoreOutcome.RESTORED.name()),
				(rs, i) -> new Clear(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
	}

	private long clearCount(long runId) {
		Long count = this.jdbc.queryForObject(
				"SELECT count(*) FROM " + this.jobSchema.table("pointer_clear") + " WHERE run_id = :runId",
				new MapSqlParameterSource("runId", runId), Long.class);
		return (count != null) ? count : 0;
	}

	private static void print(PrintStream out, long runId, boolean apply, int pending, List<Clear> restored,
			List<NotRestored> notRestored) {
		out.println();
		out.printf("Restore of run %d (%s): %d pointer(s) to put back, %s %d, left alone %d, superseded %d%n", runId,
				(apply ? RunMode.APPLY : RunMode.DRY_RUN).label(), pending, apply ? "restored" : "would restore",
				restored.size(), count(notRestored, RestoreOutcome.LEFT_ALONE),
				count(notRestored, RestoreOutcome.SUPERSEDED));
		notRestored.forEach((n) -> out.printf("    %s -> %s  %s: %s%n", n.clear().infoItemId(),
				n.clear().watcherItemId(), n.decision().outcome().label(), n.decision().detail()));
		if (!apply && !restored.isEmpty()) {
			out.println("  dry run: nothing written; run with --apply to restore");
		}
	}

	private static long count(List<NotRestored> notRestored, RestoreOutcome outcome) {
		return notRestored.stream().filter((n) -> n.decision().outcome() == outcome).count();
	}

	/**
	 * A write to undo: a clear, or a re-link to {@code relinkedTo}.
	 */
	private record Clear(long clearId, String infoItemId, String watcherItemId, @Nullable String relinkedTo) {

		Restore restore(long runId) {
			return new Restore(this.clearId, runId, this.infoItemId, this.watcherItemId, this.relinkedTo);
		}

		String what() {
			return (this.relinkedTo != null) ? "re-linked to " + this.relinkedTo : "cleared";
		}

		MapSqlParameterSource parameters(long runId) {
			return new MapSqlParameterSource().addValue("clearId", this.clearId)
				.addValue("runId", runId)
				.addValue("infoItemId", this.infoItemId)
				.addValue("watcherItemId", this.watcherItemId);
		}

	}

	private record NotRestored(Clear clear, RestoreDecision decision) {
	}

}
