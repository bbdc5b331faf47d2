package io.cannobserv.reconciler.prune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.store.JobSchema;

/**
 * Where a run's rows are in the job's schema, table by table, and how they are counted
 * and deleted. A run is deleted in two steps:
 * <ol>
 * <li>its {@link #HEADER header}, in one transaction: Spring Batch's rows in the order of
 * their foreign keys (step execution contexts, step executions, the job execution's
 * context and parameters, job executions, the instance), its history row, its place in a
 * brake sweep, and the sweep when no run is left in it. From then on no command sees the
 * run: resume, report, the brake and the metrics read these tables;</li>
 * <li>its {@link #ITEMS items}, in transactions of at most {@link #BATCH_ROWS} rows:
 * findings, the restore audit of its clears, then the clears, and any snapshot left by a
 * killed execution. These can be many (a run's findings can be as many as its pointers),
 * and no transaction of prune holds locks for longer than one batch takes.</li>
 * </ol>
 */
@Component
class RunRows {

	/** Most rows deleted by one transaction of the second step. */
	static final int BATCH_ROWS = 5000;

	/** The tables of a run's header, in the order they are deleted. */
	static final List<String> HEADER = List.of("batch_step_execution_context", "batch_step_execution",
			"batch_job_execution_context", "batch_job_execution_params", "batch_job_execution", "batch_job_instance",
			"reconcile_run", "brake_sweep_run");

	/** The tables of a run's items, in the order they are deleted. */
	static final List<String> ITEMS = List.of("pointer_finding", "pointer_restore", "pointer_clear", "watcher_snapshot",
			"brake_halt_pointer", "brake_halt");

	/** The night a run was in: deleted with the last of its runs. */
	static final String SWEEP = "brake_sweep";

	/** Runs per counting query: a list of ids becomes one bind parameter each. */
	private static final int RUNS_PER_QUERY = 1000;

	private final NamedParameterJdbcTemplate jdbc;

	private final JobSchema jobSchema;

	/** Table to the condition that selects the rows of the runs {@code :runs}. */
	private final Map<String, String> conditions;

	RunRows(NamedParameterJdbcTemplate jdbc, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
		this.conditions = conditions(jobSchema);
	}

	private static Map<String, String> conditions(JobSchema schema) {
		String executionsOfRuns = "SELECT job_execution_id FROM " + schema.table("batch_job_execution")
				+ " WHERE job_instance_id IN (:runs)";
		Map<String, String> conditions = new LinkedHashMap<>();
		conditions.put("batch_step_execution_context", "step_execution_id IN (SELECT step_execution_id FROM "
				+ schema.table("batch_step_execution") + " WHERE job_execution_id IN (" + executionsOfRuns + "))");
		conditions.put("batch_step_execution", "job_execution_id IN (" + executionsOfRuns + ")");
		conditions.put("batch_job_execution_context", "job_execution_id IN (" + executionsOfRuns + ")");
		conditions.put("batch_job_execution_params", "job_execution_id IN (" + executionsOfRuns + ")");
		conditions.put("batch_job_execution", "job_instance_id IN (:runs)");
		conditions.put("batch_job_instance", "job_instance_id IN (:runs)");
		conditions.put("reconcile_run", "run_id IN (:runs)");
		conditions.put("brake_sweep_run", "run_id IN (:runs)");
		conditions.put("pointer_finding", "run_id IN (:runs)");
		// the restore rows of the run's clears: the foreign key that holds them
		conditions.put("pointer_restore",
				"clear_id IN (SELECT clear_id FROM " + schema.table("pointer_clear") + " WHERE run_id IN (:runs))");
		conditions.put("pointer_clear", "run_id IN (:runs)");
		conditions.put("watcher_snapshot", "run_id IN (:runs)");
		conditions.put("brake_halt_pointer", "job_execution_id IN (SELECT job_execution_id FROM "
				+ schema.table("brake_halt") + " WHERE run_id IN (:runs))");
		conditions.put("brake_halt", "run_id IN (:runs)");
		return conditions;
	}

	/**
	 * How many rows of {@code runIds} each table holds, brake sweeps aside.
	 * @return by table, in the order they are deleted
	 */
	Map<String, Long> count(List<Long> runIds) {
		Map<String, Long> rows = new LinkedHashMap<>();
		this.conditions.keySet().forEach((table) -> rows.put(table, 0L));
		for (int from = 0; from < runIds.size(); from += RUNS_PER_QUERY) {
			List<Long> runs = runIds.subList(from, Math.min(from + RUNS_PER_QUERY, runIds.size()));
			this.conditions.forEach((table, condition) -> {
				Long count = this.jdbc.queryForObject(
						"SELECT count(*) FROM " + this.jobSchema.table(table) + " WHERE " + condition,
						new MapSqlParameterSource("runs", runs), Long.class);
				rows.merge(table, (count != null) ? count : 0L, Long::sum);
			});
		}
		return rows;
	}

	/**
	 * Deletes the run's header rows, in the caller's transaction.
	 * @return rows deleted, by table
	 */
	Map<String, Long> deleteHeader(long runId) {
		Map<String, Long> deleted = new LinkedHashMap<>();
		MapSqlParameterSource runs = new MapSqlParameterSource("runs", List.of(runId));
		for (String table : HEADER) {
			deleted.put(table, (long) this.jdbc
				.update("DELETE FROM " + this.jobSchema.table(table) + " WHERE " + this.conditions.get(table), runs));
		}
		return deleted;
	}

	/**
	 * Deletes the sweep when no run is left in it, unless it is the newest of its kind
	 * (which a new run may still join), in the caller's transaction.
	 * @return 1 when deleted, else 0
	 */
	long deleteSweepIfEmpty(long sweepId) {
		String sweeps = this.jobSchema.table(SWEEP);
		return this.jdbc.update(
				"DELETE FROM " + sweeps + " s WHERE s.sweep_id = :sweepId AND NOT EXISTS (SELECT 1 FROM "
						+ this.jobSchema.table("brake_sweep_run") + " r WHERE r.sweep_id = s.sweep_id)"
						+ " AND s.sweep_id <> (SELECT max(n.sweep_id) FROM " + sweeps + " n WHERE n.archiver_table ="
						+ " s.archiver_table AND n.mode = s.mode AND n.partitions = s.partitions)",
				new MapSqlParameterSource("sweepId", sweepId));
	}

	/**
	 * Deletes at most {@link #BATCH_ROWS} of the run's rows in {@code table}, in a
	 * transaction of its own (the statement's).
	 * @return rows deleted: fewer than {@link #BATCH_ROWS} when none are left
	 */
	int deleteItemBatch(String table, long runId) {
		String qualified = this.jobSchema.table(table);
		return this.jdbc.update(
				"DELETE FROM " + qualified + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + qualified + " WHERE "
						+ this.conditions.get(table) + " LIMIT :limit))",
				new MapSqlParameterSource("runs", List.of(runId)).addValue("limit", BATCH_ROWS));
	}

	/**
	 * Every table prune deletes from, in the order a summary lists them: a run's header,
	 * its items, then the sweeps.
	 */
	static List<String> deletedFrom() {
		List<String> tables = new ArrayList<>(HEADER);
		tables.addAll(ITEMS);
		tables.add(SWEEP);
		return tables;
	}

}
