package io.cannobserv.reconciler.restore;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

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
import io.cannobserv.reconciler.Failures;
import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.ReconcilerProperties.ArchiverTable;
import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.UsageException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * {@code restore --run ID [--apply]}: puts back the pointers a run cleared, from the audit.
 * Compare-and-set again: a pointer is restored only where it is still empty, so an
 * InfoItem re-linked since is left alone and reported. Every decision is recorded. A dry
 * run (the default) says what it would do.
 */
@Component
class RestoreCommand implements Command {

	private static final Logger logger = LoggerFactory.getLogger(RestoreCommand.class);

	private static final int BATCH = 500;

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final DataSource dataSource;

	private final JobSchema jobSchema;

	private final ArchiverTable archiver;

	RestoreCommand(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, DataSource dataSource,
			JobSchema jobSchema, ReconcilerProperties properties) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.dataSource = dataSource;
		this.jobSchema = jobSchema;
		this.archiver = properties.archiver();
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
		try (RunLock lock = lock()) {
			this.jobSchema.migrate();
			List<Clear> clears = pendingClears(runId);
			if (clears.isEmpty() && clearCount(runId) == 0) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED,
						"Run " + runId + " cleared no pointers (or does not exist): nothing to restore; see report");
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

	private void restore(long runId, List<Clear> batch, List<Clear> restored, List<LeftAlone> leftAlone) {
		String id = this.archiver.idColumn();
		String pointer = this.archiver.pointerColumn();
		String sql = "WITH restored AS (UPDATE " + this.archiver.qualifiedTable() + " SET " + pointer
				+ " = :watcherItemId, updated_at = now() WHERE " + id + " = :infoItemId AND " + pointer
				+ " IS NULL RETURNING " + id + ") INSERT INTO " + this.jobSchema.table("pointer_restore")
				+ " (clear_id, run_id, info_item_id, watcher_item_id, outcome) SELECT :clearId, :runId, :infoItemId,"
				+ " :watcherItemId, 'RESTORED' FROM restored";
		int[] updates = this.jdbc.batchUpdate(sql,
				batch.stream().map((clear) -> clear.parameters(runId)).toArray(SqlParameterSource[]::new));
		List<LeftAlone> alone = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			if (updates[i] == 1) {
				restored.add(batch.get(i));
				logger.info("Restored pointer of InfoItem {} to WatchedItem {} (cleared by run {})",
						batch.get(i).infoItemId(), batch.get(i).watcherItemId(), runId);
			}
			else {
				alone.add(new LeftAlone(batch.get(i), describeCurrent(batch.get(i))));
			}
		}
		if (!alone.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO " + this.jobSchema.table("pointer_restore")
					+ " (clear_id, run_id, info_item_id, watcher_item_id, outcome, detail)"
					+ " VALUES (:clearId, :runId, :infoItemId, :watcherItemId, 'LEFT_ALONE', :detail)",
					alone.stream()
						.map((a) -> a.clear().parameters(runId).addValue("detail", a.reason()))
						.toArray(SqlParameterSource[]::new));
			alone.forEach((a) -> logger.info("Left InfoItem {} alone: {}", a.clear().infoItemId(), a.reason()));
		}
		leftAlone.addAll(alone);
	}

	private void preview(List<Clear> batch, List<Clear> restored, List<LeftAlone> leftAlone) {
		for (Clear clear : batch) {
			String current = currentPointer(clear);
			if (current == null && exists(clear)) {
				restored.add(clear);
			}
			else {
				leftAlone.add(new LeftAlone(clear, describeCurrent(clear)));
			}
		}
	}

	private String describeCurrent(Clear clear) {
		if (!exists(clear)) {
			return "the InfoItem no longer exists";
		}
		String current = currentPointer(clear);
		return (current != null) ? "re-linked since, to " + current : "already empty";
	}

	private @Nullable String currentPointer(Clear clear) {
		List<String> pointers = this.jdbc.getJdbcTemplate()
			.queryForList("SELECT " + this.archiver.pointerColumn() + " FROM " + this.archiver.qualifiedTable()
					+ " WHERE " + this.archiver.idColumn() + " = ?", String.class, clear.infoItemId());
		return pointers.isEmpty() ? null : pointers.get(0);
	}

	private boolean exists(Clear clear) {
		Integer rows = this.jdbc.getJdbcTemplate()
			.queryForObject("SELECT count(*) FROM " + this.archiver.qualifiedTable() + " WHERE "
					+ this.archiver.idColumn() + " = ?", Integer.class, clear.infoItemId());
		return rows != null && rows > 0;
	}

	private List<Clear> pendingClears(long runId) {
		return this.jdbc.query("SELECT c.clear_id, c.info_item_id, c.watcher_item_id FROM "
				+ this.jobSchema.table("pointer_clear") + " c WHERE c.run_id = :runId AND NOT EXISTS (SELECT 1 FROM "
				+ this.jobSchema.table("pointer_restore")
				+ " r WHERE r.clear_id = c.clear_id AND r.outcome = 'RESTORED') ORDER BY c.info_item_id",
				new MapSqlParameterSource("runId", runId),
				(rs, i) -> new Clear(rs.getLong(1), rs.getString(2), rs.getString(3)));
	}

	private long clearCount(long runId) {
		Long count = this.jdbc.queryForObject(
				"SELECT count(*) FROM " + this.jobSchema.table("pointer_clear") + " WHERE run_id = :runId",
				new MapSqlParameterSource("runId", runId), Long.class);
		return (count != null) ? count : 0;
	}

	private RunLock lock() {
		String name = this.jobSchema.name() + ":restore";
		try {
			return RunLock.tryAcquire(this.dataSource, name)
				.orElseThrow(() -> new CommandRefusedException(ExitCode.LOCKED,
						"Another restore holds the lock '" + name + "'; this process changed nothing"));
		}
		catch (SQLException ex) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED, "Cannot connect to the database: "
					+ Failures.rootMessage(ex) + ": check SPRING_DATASOURCE_URL");
		}
	}

	private static void print(PrintStream out, long runId, boolean apply, int pending, List<Clear> restored,
			List<LeftAlone> leftAlone) {
		out.println();
		out.printf("Restore of run %d (%s): %d pointer(s) to put back, %s %d, left alone %d%n", runId,
				apply ? "apply" : "dry-run", pending, apply ? "restored" : "would restore", restored.size(),
				leftAlone.size());
		leftAlone.forEach((a) -> out.printf("    %s -> %s  left alone: %s%n", a.clear().infoItemId(),
				a.clear().watcherItemId(), a.reason()));
		if (!apply && !restored.isEmpty()) {
			out.println("  dry run: nothing written; run with --apply to restore");
		}
	}

	private record Clear(long clearId, String infoItemId, String watcherItemId) {

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
