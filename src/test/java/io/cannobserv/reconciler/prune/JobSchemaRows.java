package io.cannobserv.reconciler.prune;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every row of the job's schema, each with the run it belongs to, read straight from the
 * tables: what prune must delete and what it must leave is decided here independently of
 * prune's own queries.
 */
final class JobSchemaRows {

	static final String SCHEMA = "watcher_link_reconciler";

	/**
	 * Tables whose rows belong to no run: a Retry-After hold belongs to its night (its
	 * sweep) and goes with it.
	 */
	static final Set<String> NOT_OF_A_RUN = Set.of("flyway_schema_history", "brake_sweep", "watcher_hold",
			"pruned_run");

	private JobSchemaRows() {
	}

	/**
	 * The owner of a row of each table, as SQL over the row {@code t}: the run (job
	 * instance) it belongs to.
	 */
	private static String owner(String table) {
		String execution = "(SELECT e.job_instance_id FROM " + SCHEMA
				+ ".batch_job_execution e WHERE e.job_execution_id = t.job_execution_id)";
		return switch (table) {
			case "batch_job_instance", "batch_job_execution" -> "t.job_instance_id";
			case "batch_job_execution_params", "batch_job_execution_context", "batch_step_execution" -> execution;
			case "batch_step_execution_context" ->
				"(SELECT e.job_instance_id FROM " + SCHEMA + ".batch_step_execution s JOIN " + SCHEMA
						+ ".batch_job_execution e ON e.job_execution_id = s.job_execution_id"
						+ " WHERE s.step_execution_id = t.step_execution_id)";
			case "brake_sweep", "watcher_hold" -> "t.sweep_id";
			case "brake_halt_pointer" ->
				"(SELECT h.run_id FROM " + SCHEMA + ".brake_halt h WHERE h.job_execution_id = t.job_execution_id)";
			case "flyway_schema_history" -> "NULL::bigint";
			default -> "t.run_id";
		};
	}

	/** The tables of the job's schema. */
	static List<String> tables(JdbcTemplate jdbc) {
		return jdbc.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", String.class,
				SCHEMA);
	}

	/**
	 * Every row of every table, by table, each with its owner: the run, or for
	 * {@code brake_sweep} the sweep.
	 */
	static Map<String, List<Owned>> read(JdbcTemplate jdbc) {
		Map<String, List<Owned>> rows = new TreeMap<>();
		for (String table : tables(jdbc)) {
			List<Owned> owned = new ArrayList<>(
					jdbc.query("SELECT " + owner(table) + " AS owner__, t.* FROM " + SCHEMA + "." + table + " t",
							(rs, i) -> new Owned(rs.getObject("owner__", Long.class), row(rs))));
			owned.sort(Comparator.comparing(Owned::toString));
			rows.put(table, owned);
		}
		return rows;
	}

	/** Rows whose owner is not one of {@code runs}, tables of no run left out. */
	static Map<String, List<Owned>> without(Map<String, List<Owned>> rows, Collection<Long> runs) {
		Map<String, List<Owned>> kept = new TreeMap<>();
		rows.forEach((table, owned) -> {
			if (!NOT_OF_A_RUN.contains(table)) {
				kept.put(table, owned.stream().filter((row) -> !runs.contains(row.owner())).toList());
			}
		});
		return kept;
	}

	/** How many rows of {@code runs} each table holds. */
	static Map<String, Long> countOf(Map<String, List<Owned>> rows, Collection<Long> runs) {
		Map<String, Long> counts = new TreeMap<>();
		rows.forEach((table, owned) -> {
			if (!NOT_OF_A_RUN.contains(table)) {
				counts.put(table, owned.stream().filter((row) -> runs.contains(row.owner())).count());
			}
		});
		return counts;
	}

	/** The runs of each brake sweep. */
	static Map<Long, List<Long>> sweepRuns(JdbcTemplate jdbc) {
		Map<Long, List<Long>> sweeps = new TreeMap<>();
		jdbc.query("SELECT s.sweep_id, r.run_id FROM " + SCHEMA + ".brake_sweep s LEFT JOIN " + SCHEMA
				+ ".brake_sweep_run r ON r.sweep_id = s.sweep_id ORDER BY 1, 2", (ResultSet rs) -> {
					List<Long> runs = sweeps.computeIfAbsent(rs.getLong(1), (id) -> new ArrayList<>());
					Long run = rs.getObject(2, Long.class);
					if (run != null) {
						runs.add(run);
					}
				});
		return sweeps;
	}

	/**
	 * Moves every recorded time of {@code runs} back by {@code age}, as if they had run
	 * that long ago: Spring Batch's executions, the run history, their sweeps.
	 */
	static void age(JdbcTemplate jdbc, Collection<Long> runs, Duration age) {
		String interval = "make_interval(secs => " + age.toSeconds() + ")";
		for (long run : runs) {
			jdbc.update("UPDATE " + SCHEMA + ".batch_job_execution SET create_time = create_time - " + interval
					+ ", start_time = start_time - " + interval + ", end_time = end_time - " + interval
					+ ", last_updated = last_updated - " + interval + " WHERE job_instance_id = ?", run);
			jdbc.update(
					"UPDATE " + SCHEMA + ".batch_step_execution SET create_time = create_time - " + interval
							+ ", start_time = start_time - " + interval + ", end_time = end_time - " + interval
							+ ", last_updated = last_updated - " + interval + " WHERE job_execution_id IN (SELECT"
							+ " job_execution_id FROM " + SCHEMA + ".batch_job_execution WHERE job_instance_id = ?)",
					run);
			jdbc.update("UPDATE " + SCHEMA + ".reconcile_run SET started_at = started_at - " + interval
					+ ", ended_at = ended_at - " + interval + ", recorded_at = recorded_at - " + interval
					+ " WHERE run_id = ?", run);
			jdbc.update("UPDATE " + SCHEMA + ".brake_sweep SET opened_at = opened_at - " + interval
					+ " WHERE sweep_id IN (SELECT sweep_id FROM " + SCHEMA + ".brake_sweep_run WHERE run_id = ?)", run);
		}
	}

	private static Map<String, @Nullable Object> row(ResultSet rs) throws SQLException {
		ResultSetMetaData meta = rs.getMetaData();
		Map<String, @Nullable Object> row = new LinkedHashMap<>();
		for (int column = 2; column <= meta.getColumnCount(); column++) {
			Object value = rs.getObject(column);
			row.put(meta.getColumnName(column),
					(value instanceof Timestamp time) ? time.toInstant()
							: (value == null || value instanceof Number || value instanceof Boolean) ? value
									: value.toString());
		}
		return row;
	}

	/**
	 * A row and the run (or sweep) it belongs to.
	 *
	 * @param owner the run, or the sweep; null for a row of no run
	 * @param row its columns
	 */
	record Owned(@Nullable Long owner, Map<String, @Nullable Object> row) {
	}

}
