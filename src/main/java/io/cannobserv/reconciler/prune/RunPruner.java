package io.cannobserv.reconciler.prune;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.cli.OlderThan;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.store.PrunedRuns;
import io.cannobserv.reconciler.store.PrunedRuns.PrunedRun;

/**
 * Deletes one run from the job's schema (see {@link RunRows} for the two steps), and
 * records it in {@code pruned_run} with the first, so that an interruption anywhere
 * leaves every run either whole or pruned: never a run that a command would show, resume
 * or restore with part of its rows gone. Killed between the steps, the next prune deletes
 * what is left of the run first.
 */
@Component
class RunPruner {

	private static final Logger logger = LoggerFactory.getLogger(RunPruner.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final RunRows rows;

	private final String prunedRuns;

	RunPruner(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, RunRows rows, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.rows = rows;
		this.prunedRuns = jobSchema.table(PrunedRuns.TABLE);
	}

	/**
	 * Deletes {@code run} and records it as pruned.
	 * @return rows deleted, by table
	 */
	Map<String, Long> prune(Deletion deletion, OlderThan olderThan) {
		RecordedRun run = deletion.run();
		Map<String, Long> deleted = new LinkedHashMap<>();
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.update(
					"INSERT INTO " + this.prunedRuns + " (run_id, mode, partition, partitions, archiver_table,"
							+ " ended_at, cutoff, restorable_clears) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
					run.runId(), run.identity().mode().label(), run.identity().partition(), run.identity().partitions(),
					run.identity().table(), (run.endedAt() != null) ? run.endedAt().atOffset(ZoneOffset.UTC) : null,
					olderThan.cutoff().atOffset(ZoneOffset.UTC), deletion.restorableWrites());
			deleted.putAll(this.rows.deleteHeader(run.runId()));
			deleted.put(RunRows.SWEEP, (run.sweepId() != null) ? this.rows.deleteSweepIfEmpty(run.sweepId()) : 0L);
		});
		deleted.putAll(deleteItems(run.runId()));
		long total = deleted.values().stream().mapToLong(Long::longValue).sum();
		if (deletion.restorableWrites() > 0) {
			logger.warn(
					"Pruned {}: {} rows, with {} clear(s) or re-link(s) that restore could still have put back"
							+ " (--include-restorable): they can no longer be undone",
					run.describe(), total, deletion.restorableWrites());
		}
		else {
			logger.info("Pruned {}: {} rows", run.describe(), total);
		}
		return deleted;
	}

	/**
	 * Deletes what an interrupted prune left of the runs it had begun to delete.
	 * @return rows deleted, by table
	 */
	Map<String, Long> finish(List<PrunedRun> unfinished) {
		Map<String, Long> deleted = new LinkedHashMap<>();
		for (PrunedRun run : unfinished) {
			Map<String, Long> items = deleteItems(run.runId());
			items.forEach((table, count) -> deleted.merge(table, count, Long::sum));
			logger.info("Finished pruning run {}, which an interrupted prune had begun: {} rows", run.runId(),
					items.values().stream().mapToLong(Long::longValue).sum());
		}
		return deleted;
	}

	/** The run's items, batch by batch; then the run's record says it is all gone. */
	private Map<String, Long> deleteItems(long runId) {
		Map<String, Long> deleted = new LinkedHashMap<>();
		for (String table : RunRows.ITEMS) {
			long total = 0;
			int batch;
			do {
				batch = this.rows.deleteItemBatch(table, runId);
				total += batch;
			}
			while (batch == RunRows.BATCH_ROWS);
			deleted.put(table, total);
		}
		this.jdbc.update("UPDATE " + this.prunedRuns + " SET complete = true WHERE run_id = ?", runId);
		return deleted;
	}

	/**
	 * A run to delete.
	 *
	 * @param run the run
	 * @param restorableWrites its clears and re-links that restore could still put back
	 * (pruned all the same with {@code --include-restorable})
	 */
	record Deletion(RecordedRun run, long restorableWrites) {
	}

}
