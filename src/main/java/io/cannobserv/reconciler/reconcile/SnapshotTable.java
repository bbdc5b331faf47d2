package io.cannobserv.reconciler.reconcile;

import java.sql.Array;
import java.sql.Connection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.watcher.SnapshotItem;
import io.cannobserv.reconciler.watcher.SnapshotRefused;
import io.cannobserv.reconciler.watcher.SnapshotSink;

/**
 * A run's snapshot of Watcher's list in the job's schema ({@code watcher_snapshot}),
 * where the reader's page query joins it to the pointers. Written and deleted outside the
 * step's transaction, in autocommit: a snapshot belongs to one execution, which takes it
 * afresh and deletes it when its first pass ends, so what a crash leaves is deleted by
 * the next one.
 */
final class SnapshotTable implements StepExecutionListener {

	private final JdbcTemplate jdbc;

	private final String table;

	private final String executions;

	private final TransactionTemplate outsideStep;

	SnapshotTable(JdbcTemplate jdbc, JobSchema jobSchema, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.table = jobSchema.table("watcher_snapshot");
		this.executions = jobSchema.table("batch_job_execution");
		this.outsideStep = new TransactionTemplate(transactionManager);
		this.outsideStep.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
	}

	/**
	 * Deletes the snapshot of {@code runId}, and those of runs no process runs any more
	 * (a run killed and abandoned, say).
	 */
	void forget(long runId) {
		this.outsideStep.executeWithoutResult((status) -> this.jdbc.update(
				"DELETE FROM " + this.table + " s WHERE s.run_id = ? OR NOT EXISTS (SELECT 1 FROM " + this.executions
						+ " e WHERE e.job_instance_id = s.run_id AND e.status IN ('STARTING', 'STARTED', 'STOPPING'))",
				runId));
	}

	/** Once the first pass ends, however it ends, its snapshot has served. */
	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		long runId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		this.outsideStep.executeWithoutResult(
				(status) -> this.jdbc.update("DELETE FROM " + this.table + " WHERE run_id = ?", runId));
		return null;
	}

	/** Where the items of {@code runId}'s snapshot go. */
	SnapshotSink sink(long runId) {
		return new SnapshotSink() {

			@Override
			public void accept(List<SnapshotItem> batch) {
				int stored = store(runId, batch);
				if (stored < batch.size()) {
					throw new SnapshotRefused("the list names a WatchedItem more than once");
				}
			}

			@Override
			public void discard() {
				SnapshotTable.this.outsideStep.executeWithoutResult((status) -> SnapshotTable.this.jdbc
					.update("DELETE FROM " + SnapshotTable.this.table + " WHERE run_id = ?", runId));
			}

		};
	}

	/** Stores a batch in one statement; an id already stored is not stored again. */
	private int store(long runId, List<SnapshotItem> batch) {
		String[] ids = batch.stream().map(SnapshotItem::id).toArray(String[]::new);
		String[] backLinks = batch.stream().map(SnapshotItem::archiverInfoItemId).toArray(String[]::new);
		Boolean[] archived = batch.stream().map(SnapshotItem::archived).toArray(Boolean[]::new);
		Integer stored = this.outsideStep.execute((status) -> this.jdbc.execute((Connection connection) -> {
			Array idArray = connection.createArrayOf("varchar", ids);
			Array backLinkArray = connection.createArrayOf("text", backLinks);
			Array archivedArray = connection.createArrayOf("boolean", archived);
			try (var insert = connection.prepareStatement("INSERT INTO " + this.table
					+ " (run_id, watched_item_id, archiver_info_item_id, archived) SELECT ?, * FROM unnest(?, ?, ?)"
					+ " ON CONFLICT DO NOTHING")) {
				insert.setLong(1, runId);
				insert.setArray(2, idArray);
				insert.setArray(3, backLinkArray);
				insert.setArray(4, archivedArray);
				return insert.executeUpdate();
			}
			finally {
				idArray.free();
				backLinkArray.free();
				archivedArray.free();
			}
		}));
		return (stored != null) ? stored : 0;
	}

}
