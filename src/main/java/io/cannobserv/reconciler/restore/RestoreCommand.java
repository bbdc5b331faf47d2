package io.cannobserv.reconciler.restore;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.CommandRefusedException;
import io.cannobserv.reconciler.ExitCode;
import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.archiver.PointerTable.Restore;
import io.cannobserv.reconciler.archiver.PointerTable.StoredItem;
import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.UsageException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * {@code restore --run ID [--apply]}: puts back the pointers a run cleared or re-linked,
 * from the audit. Compare-and-set again: a pointer is restored only where the row still
 * holds what the run left (empty after a clear, the new WatchedItem after a re-link) and
 * no later run wrote it, so an InfoItem changed since is left alone and reported. Every
 * decision is recorded. A dry run (the default) says what it would do.
 */
@Component
class RestoreCommand implements Command {

	private static final Logger logger = LoggerFactory.getLogger(RestoreCommand.class);

	private static final int BATCH = 500;

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final RunLocks runLocks;

	private final JobSchema jobSchema;

	private final PointerTable pointerTable;

	RestoreCommand(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, RunLocks runLocks,
			JobSchema jobSchema, PointerTable pointerTable) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.runLocks = runLocks;
		this.jobSchema = jobSchema;
		this.pointerTable = pointerTable;
	}

	@Override
	public String name() {
		return "restore";
	}

	@Override
	public ExitCode run(CommandLine commandLine, PrintStream out) throws Exception {
		Long runId = commandLine.runId();
		if (runId == null) {
			throw new UsageException("restore needs the run to undo: restore --run ID (see report for run ids)");
		}
		boolean apply = commandLine.apply();
		try (RunLock lock = this.runLocks.restore()) {
			this.jobSchema.migrate();
			refuseAnotherTable(runId);
			List<Clear> clears = pendingClears(runId);
			if (clears.isEmpty() && clearCount(runId) == 0) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED, "Run " + runId
						+ " cleared or re-linked no pointers (or does not exist): nothing to restore; see report");
			}
			List<Clear> restored = new ArrayList<>();
			List<LeftAlone> leftAlone = new ArrayList<>();
			for (int from = 0; from < clears.size(); from += BATCH) {
				List<Clear> batch = clears.subList(from, Math.min(from + BATCH, clears.size()));
				if (apply) {
					this.transaction.executeWithoutResult((status) -> restore(runId, batch, restored, leftAlone));
				}
				else {
					preview(batch, restored, leftAlone);
				}
			}
			print(out, runId, apply, clears.size(), restored, leftAlone);
			return ExitCode.COMPLETED;
		}
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

	private void restore(long runId, List<Clear> batch, List<Clear> restored, List<LeftAlone> leftAlone) {
		int[] updates = this.pointerTable.restore(batch.stream().map((clear) -> clear.restore(runId)).toList(),
				RestoreOutcome.RESTORED.name());
		List<LeftAlone> alone = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			if (updates[i] == 1) {
				restored.add(batch.get(i));
				logger.info("Restored pointer of InfoItem {} to WatchedItem {} ({} by run {})",
						batch.get(i).infoItemId(), batch.get(i).watcherItemId(), batch.get(i).what(), runId);
			}
			else {
				alone.add(new LeftAlone(batch.get(i), describeCurrent(batch.get(i))));
			}
		}
		if (!alone.isEmpty()) {
			this.jdbc.batchUpdate(
					"INSERT INTO " + this.jobSchema.table("pointer_restore")
							+ " (clear_id, run_id, info_item_id, watcher_item_id, outcome, detail)"
							+ " VALUES (:clearId, :runId, :infoItemId, :watcherItemId, :outcome, :detail)",
					alone.stream()
						.map((a) -> a.clear()
							.parameters(runId)
							.addValue("outcome", RestoreOutcome.LEFT_ALONE.name())
							.addValue("detail", a.reason()))
						.toArray(SqlParameterSource[]::new));
			alone.forEach((a) -> logger.info("Left InfoItem {} alone: {}", a.clear().infoItemId(), a.reason()));
		}
		leftAlone.addAll(alone);
	}

	private void preview(List<Clear> batch, List<Clear> restored, List<LeftAlone> leftAlone) {
		for (Clear clear : batch) {
			Optional<StoredItem> current = this.pointerTable.find(clear.infoItemId());
			if (current.isPresent() && Objects.equals(current.get().watcherItemId(), clear.relinkedTo())
					&& laterWriteRun(clear) == null) {
				restored.add(clear);
			}
			else {
				leftAlone.add(new LeftAlone(clear, describe(clear, current)));
			}
		}
	}

	private String describeCurrent(Clear clear) {
		return describe(clear, this.pointerTable.find(clear.infoItemId()));
	}

	private String describe(Clear clear, Optional<StoredItem> current) {
		if (current.isEmpty()) {
			return "the InfoItem no longer exists";
		}
		Long later = laterWriteRun(clear);
		if (later != null) {
			return "written again since, by run " + later;
		}
		String pointer = current.get().watcherItemId();
		if (clear.relinkedTo() == null) {
			return (pointer != null) ? "re-linked since, to " + pointer : "already empty";
		}
		if (pointer == null) {
			return "cleared since";
		}
		return pointer.equals(clear.watcherItemId()) ? "already back" : "changed since, to " + pointer;
	}

	/** The run that cleared or re-linked the InfoItem after this write, if any. */
	private @Nullable Long laterWriteRun(Clear clear) {
		List<Long> runs = this.jdbc.queryForList(
				"SELECT run_id FROM " + this.jobSchema.table("pointer_clear") + " WHERE archiver_table = :archiverTable"
						+ " AND info_item_id = :infoItemId AND clear_id > :clearId ORDER BY clear_id DESC LIMIT 1",
				new MapSqlParameterSource("archiverTable", this.pointerTable.table().identity())
					.addValue("infoItemId", clear.infoItemId())
					.addValue("clearId", clear.clearId()),
				Long.class);
		return runs.isEmpty() ? null : runs.get(0);
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
			List<LeftAlone> leftAlone) {
		out.println();
		out.printf("Restore of run %d (%s): %d pointer(s) to put back, %s %d, left alone %d%n", runId,
				(apply ? RunMode.APPLY : RunMode.DRY_RUN).label(), pending, apply ? "restored" : "would restore",
				restored.size(), leftAlone.size());
		leftAlone.forEach((a) -> out.printf("    %s -> %s  left alone: %s%n", a.clear().infoItemId(),
				a.clear().watcherItemId(), a.reason()));
		if (!apply && !restored.isEmpty()) {
			out.println("  dry run: nothing written; run with --apply to restore");
		}
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

	private record LeftAlone(Clear clear, String reason) {
	}

}
