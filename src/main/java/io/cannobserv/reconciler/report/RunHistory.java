package io.cannobserv.reconciler.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.report.RunReport.Brake;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.RequestsInFlight;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * The {@code reconcile_run} table: one row per run, replaced each time one of its
 * executions ends. The counts are one {@code jsonb} object keyed as in the report, so a
 * new outcome needs no new column.
 */
@Component
class RunHistory {

	private static final String COLUMNS = "run_id, mode, archiver_table, partition, partitions, status, exit_code,"
			+ " exit_message, started_at, ended_at, executions, last_job_execution_id, counts, brake_state,"
			+ " brake_message, brake_max_clear_fraction, brake_min_sample, brake_max_clears, build_version, build_commit,"
			+ " strategy, relink, snapshot, brake_limit, brake_override, brake_not_written, worked_millis,"
			+ " strategy_reason, requests_in_flight";

	private final JdbcTemplate jdbc;

	private final JobSchema jobSchema;

	private final JsonMapper jsonMapper;

	private final RowMapper<RunSummary> rowMapper = this::summary;

	private final String upsert;

	RunHistory(JdbcTemplate jdbc, JobSchema jobSchema, JsonMapper jsonMapper) {
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
		this.jsonMapper = jsonMapper;
		this.upsert = upsert(jobSchema.table("reconcile_run"));
	}

	private static String upsert(String table) {
		List<String> columns = Arrays.stream(COLUMNS.split(",")).map(String::strip).toList();
		String updates = columns.stream()
			.filter((column) -> !column.equals("run_id"))
			.map((column) -> column + " = EXCLUDED." + column)
			.collect(Collectors.joining(", "));
		String values = columns.stream()
			.map((column) -> (column.equals("counts") || column.equals("snapshot")
					|| column.equals("requests_in_flight")) ? "?::jsonb" : "?")
			.collect(Collectors.joining(", "));
		return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + values + ") ON CONFLICT (run_id) DO UPDATE SET "
				+ updates + ", recorded_at = now()";
	}

	/**
	 * Whether the job's schema has been created here at all: {@code report} must not
	 * create it (nor need the rights to) just to say that there are no runs.
	 */
	boolean schemaExists() {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
				this.jobSchema.table("flyway_schema_history")));
	}

	void save(RunSummary run, long lastJobExecutionId) {
		Brake b = run.brake();
		this.jdbc.update(this.upsert, run.runId(), run.mode().label(), run.table(), run.partition(), run.partitions(),
				run.status(), run.exitCode(), run.exitMessage(), timestamp(run.startedAt()), timestamp(run.endedAt()),
				run.executions(), lastJobExecutionId, this.jsonMapper.writeValueAsString(run.counts()),
				b.state().label(), b.message(), b.maxClearFraction(), b.minSample(), b.maxClears(),
				(run.build() != null) ? run.build().version() : null,
				(run.build() != null) ? run.build().commit() : null, run.strategy().label(), run.relink(),
				(run.snapshot() != null) ? this.jsonMapper.writeValueAsString(run.snapshot()) : null, b.limit(),
				b.override(), b.notWritten(), run.workedMillis(), run.strategyReason(),
				(run.requestsInFlight() != null) ? this.jsonMapper.writeValueAsString(run.requestsInFlight()) : null);
	}

	Optional<Recorded> find(long runId) {
		List<Recorded> runs = this.jdbc.query(
				"SELECT " + COLUMNS + " FROM " + this.jobSchema.table("reconcile_run") + " WHERE run_id = ?",
				(rs, i) -> new Recorded(summary(rs, i), rs.getLong("last_job_execution_id")), runId);
		return runs.stream().findFirst();
	}

	/** The latest runs, oldest first. */
	List<RunSummary> recent(int limit) {
		return oldestFirst(this.jdbc.query("SELECT " + COLUMNS + " FROM " + this.jobSchema.table("reconcile_run")
				+ " ORDER BY run_id DESC LIMIT ?", this.rowMapper, limit));
	}

	/**
	 * The runs of {@code run}'s table and partition up to it, oldest first: the trend
	 * that led to it.
	 */
	List<RunSummary> upTo(RunSummary run, int limit) {
		return oldestFirst(this.jdbc.query(
				"SELECT " + COLUMNS + " FROM " + this.jobSchema.table("reconcile_run")
						+ " WHERE run_id <= ? AND archiver_table = ? AND partition = ? AND partitions = ?"
						+ " ORDER BY run_id DESC LIMIT ?",
				this.rowMapper, run.runId(), run.table(), run.partition(), run.partitions(), limit));
	}

	private static List<RunSummary> oldestFirst(List<RunSummary> newestFirst) {
		List<RunSummary> runs = new ArrayList<>(newestFirst);
		Collections.reverse(runs);
		return runs;
	}

	private RunSummary summary(ResultSet rs, int rowNum) throws SQLException {
		RunCounts counts = this.jsonMapper.readValue(rs.getString("counts"), RunCounts.class);
		Brake brake = new Brake(BrakeState.fromLabel(rs.getString("brake_state")), rs.getString("brake_limit"),
				rs.getString("brake_message"), rs.getString("brake_override"), rs.getLong("brake_not_written"),
				rs.getDouble("brake_max_clear_fraction"), rs.getLong("brake_min_sample"),
				rs.getObject("brake_max_clears", Long.class));
		// the identity's columns are named as its job parameters
		return new RunSummary(rs.getLong("run_id"), RunMode.fromLabel(rs.getString(RunIdentity.MODE)),
				rs.getString("archiver_table"), rs.getInt(RunIdentity.PARTITION), rs.getInt(RunIdentity.PARTITIONS),
				rs.getString("status"), rs.getInt("exit_code"), rs.getString("exit_message"),
				instant(rs.getObject("started_at", OffsetDateTime.class)),
				instant(rs.getObject("ended_at", OffsetDateTime.class)), rs.getObject("worked_millis", Long.class),
				rs.getInt("executions"), build(rs), counts, brake, Strategy.fromLabel(rs.getString("strategy")),
				rs.getString("strategy_reason"), rs.getBoolean("relink"),
				(rs.getString("snapshot") != null)
						? this.jsonMapper.readValue(rs.getString("snapshot"), RunReport.Snapshot.class) : null,
				(rs.getString("requests_in_flight") != null)
						? this.jsonMapper.readValue(rs.getString("requests_in_flight"), RequestsInFlight.class) : null);
	}

	/**
	 * The version that recorded the run; none for a run recorded before versions were.
	 */
	private static @Nullable BuildVersion build(ResultSet rs) throws SQLException {
		String version = rs.getString("build_version");
		return (version != null) ? new BuildVersion(version, rs.getString("build_commit")) : null;
	}

	private static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	/**
	 * A run as recorded.
	 *
	 * @param summary its figures
	 * @param lastJobExecutionId the execution they are as of
	 */
	record Recorded(RunSummary summary, long lastJobExecutionId) {
	}

}
