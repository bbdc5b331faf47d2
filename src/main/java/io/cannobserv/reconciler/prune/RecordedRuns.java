package io.cannobserv.reconciler.prune;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.reconcile.ResumePolicy;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * Every run the job's schema records, with what prune decides by: its identity, when it
 * ended, how it ended, its brake sweep. One query per table, whatever the number of runs.
 */
@Component
class RecordedRuns {

	private final JdbcTemplate jdbc;

	private final JobSchema jobSchema;

	private final String table;

	RecordedRuns(JdbcTemplate jdbc, JobSchema jobSchema, ArchiverTable table) {
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
		this.table = table.identity();
	}

	/** The configured table, as a run's identity names it. */
	String table() {
		return this.table;
	}

	/** Every run, by id. */
	Map<Long, RecordedRun> all() {
		Map<Long, Builder> runs = new TreeMap<>();
		readBatch(runs);
		readHistory(runs);
		readSweeps(runs);
		Map<Long, RecordedRun> all = new TreeMap<>();
		runs.forEach((runId, builder) -> {
			RecordedRun run = builder.build(runId, this.table);
			if (run != null) {
				all.put(runId, run);
			}
		});
		return all;
	}

	/**
	 * The newest brake sweep of each kind (table, mode, partitions): the one a new run of
	 * that kind may still join, whose figures the brake still judges.
	 */
	Set<Long> newestSweeps() {
		return new HashSet<>(this.jdbc
			.queryForList("SELECT DISTINCT ON (archiver_table, mode, partitions) sweep_id FROM "
					+ this.jobSchema.table("brake_sweep") + " ORDER BY archiver_table, mode, partitions, sweep_id DESC",
					Long.class));
	}

	/** The runs of each sweep. */
	Map<Long, List<Long>> sweepRuns() {
		Map<Long, List<Long>> sweeps = new HashMap<>();
		this.jdbc
			.query("SELECT sweep_id, run_id FROM " + this.jobSchema.table("brake_sweep_run"),
					(rs, i) -> Map.entry(rs.getLong("sweep_id"), rs.getLong("run_id")))
			.forEach((run) -> sweeps.computeIfAbsent(run.getKey(), (id) -> new ArrayList<>()).add(run.getValue()));
		return sweeps;
	}

	/**
	 * The identity and the executions' times and last status of every run of the job. A
	 * parameter missing from a run started by an earlier release reads as
	 * {@link RunIdentity#of} reads it.
	 */
	private void readBatch(Map<Long, Builder> runs) {
		String executions = this.jobSchema.table("batch_job_execution");
		String sql = "WITH params AS (SELECT e.job_instance_id, " + parameter(RunIdentity.MODE) + " AS mode, "
				+ parameter(RunIdentity.PARTITION) + " AS partition, " + parameter(RunIdentity.PARTITIONS)
				+ " AS partitions, " + parameter(RunIdentity.TABLE) + " AS archiver_table FROM " + executions
				+ " e JOIN " + this.jobSchema.table("batch_job_execution_params")
				+ " p ON p.job_execution_id = e.job_execution_id WHERE p.identifying = 'Y' GROUP BY e.job_instance_id),"
				+ " runs AS (SELECT job_instance_id, max(coalesce(end_time, last_updated, start_time, create_time))"
				+ " AS last_active, (array_agg(status ORDER BY job_execution_id DESC))[1] AS status FROM " + executions
				+ " GROUP BY job_instance_id) SELECT i.job_instance_id, p.mode, p.partition, p.partitions,"
				+ " p.archiver_table, r.last_active, r.status FROM " + this.jobSchema.table("batch_job_instance")
				+ " i JOIN runs r ON r.job_instance_id = i.job_instance_id LEFT JOIN params p"
				+ " ON p.job_instance_id = i.job_instance_id WHERE i.job_name = ?";
		this.jdbc.query(sql, (rs) -> {
			Builder run = runs.computeIfAbsent(rs.getLong("job_instance_id"), (id) -> new Builder());
			run.mode = rs.getString("mode");
			run.partition = integer(rs.getString("partition"), 0);
			run.partitions = integer(rs.getString("partitions"), 1);
			run.table = rs.getString("archiver_table");
			LocalDateTime lastActive = rs.getObject("last_active", LocalDateTime.class);
			// Spring Batch writes the JVM's local time
			run.ended((lastActive != null) ? lastActive.atZone(ZoneId.systemDefault()).toInstant() : null);
			run.status = rs.getString("status");
		}, ResumePolicy.jobName());
	}

	private void readHistory(Map<Long, Builder> runs) {
		this.jdbc.query("SELECT run_id, mode, partition, partitions, archiver_table, exit_code, status, ended_at,"
				+ " recorded_at FROM " + this.jobSchema.table("reconcile_run"), (rs) -> {
					Builder run = runs.computeIfAbsent(rs.getLong("run_id"), (id) -> new Builder());
					run.mode = rs.getString("mode");
					run.partition = rs.getInt("partition");
					run.partitions = rs.getInt("partitions");
					run.table = rs.getString("archiver_table");
					run.exitCode = rs.getInt("exit_code");
					run.historyEndedAt = instant(rs, "ended_at");
					run.ended(run.historyEndedAt);
					run.ended(instant(rs, "recorded_at"));
					if (run.status == null) {
						run.status = rs.getString("status");
					}
				});
	}

	private void readSweeps(Map<Long, Builder> runs) {
		this.jdbc.query("SELECT run_id, sweep_id FROM " + this.jobSchema.table("brake_sweep_run"), (rs) -> {
			Builder run = runs.get(rs.getLong("run_id"));
			if (run != null) {
				run.sweepId = rs.getLong("sweep_id");
			}
		});
	}

	private static String parameter(String name) {
		return "max(p.parameter_value) FILTER (WHERE p.parameter_name = '" + name + "')";
	}

	private static int integer(@Nullable String value, int otherwise) {
		return (value != null) ? Integer.parseInt(value.strip()) : otherwise;
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

	/** What the tables say of one run, gathered before it is a {@link RecordedRun}. */
	private static final class Builder {

		private @Nullable String mode;

		private int partition;

		private int partitions = 1;

		private @Nullable String table;

		private @Nullable Instant endedAt;

		private @Nullable Instant historyEndedAt;

		private @Nullable Integer exitCode;

		private @Nullable String status;

		private @Nullable Long sweepId;

		void ended(@Nullable Instant time) {
			if (time != null && (this.endedAt == null || time.isAfter(this.endedAt))) {
				this.endedAt = time;
			}
		}

		/** The run, or null when nothing says which mode it ran in (no parameters). */
		@Nullable RecordedRun build(long runId, String configuredTable) {
			if (this.mode == null) {
				return null;
			}
			RunIdentity identity = new RunIdentity(RunMode.fromLabel(this.mode), this.partition, this.partitions,
					(this.table != null) ? this.table : configuredTable);
			return new RecordedRun(runId, identity, this.endedAt, this.historyEndedAt, this.exitCode,
					(this.status != null) ? this.status : "UNKNOWN", this.sweepId);
		}

	}

}
