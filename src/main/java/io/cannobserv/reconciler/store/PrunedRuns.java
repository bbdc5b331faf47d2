package io.cannobserv.reconciler.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;

/**
 * The runs {@code prune} deleted ({@code pruned_run}): so that a command given a pruned
 * run's id says that it was pruned, and when, rather than that no such run exists.
 */
@Component
public class PrunedRuns {

	/** The table in the job's schema. */
	public static final String TABLE = "pruned_run";

	private static final String COLUMNS = "run_id, mode, partition, partitions, archiver_table, ended_at, cutoff,"
			+ " restorable_clears, pruned_at, complete";

	private final JdbcTemplate jdbc;

	private final JobSchema jobSchema;

	public PrunedRuns(JdbcTemplate jdbc, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
	}

	/**
	 * The run, if prune deleted it (or began to: see {@link PrunedRun#complete()}); empty
	 * also where the job's schema has no record of pruned runs yet.
	 */
	public Optional<PrunedRun> find(long runId) {
		String table = this.jobSchema.table(TABLE);
		if (!Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table))) {
			return Optional.empty();
		}
		return this.jdbc.query("SELECT " + COLUMNS + " FROM " + table + " WHERE run_id = ?", PrunedRuns::pruned, runId)
			.stream()
			.findFirst();
	}

	/** The runs whose pruning an interrupted prune left unfinished, oldest first. */
	public List<PrunedRun> unfinished() {
		return this.jdbc.query(
				"SELECT " + COLUMNS + " FROM " + this.jobSchema.table(TABLE) + " WHERE NOT complete ORDER BY run_id",
				PrunedRuns::pruned);
	}

	private static PrunedRun pruned(ResultSet rs, int row) throws SQLException {
		return new PrunedRun(rs.getLong("run_id"),
				new RunIdentity(RunMode.fromLabel(rs.getString("mode")), rs.getInt("partition"),
						rs.getInt("partitions"), rs.getString("archiver_table")),
				instant(rs.getObject("ended_at", OffsetDateTime.class)),
				rs.getObject("cutoff", OffsetDateTime.class).toInstant(), rs.getLong("restorable_clears"),
				rs.getObject("pruned_at", OffsetDateTime.class).toInstant(), rs.getBoolean("complete"));
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	/**
	 * A run that prune deleted.
	 *
	 * @param runId its id
	 * @param identity its mode, partition and table
	 * @param endedAt when it last did anything, if known
	 * @param cutoff prune deleted the runs that ended before this instant
	 * @param restorableClears clears or re-links restore could still have put back when
	 * it was pruned (with {@code --include-restorable}; 0 otherwise)
	 * @param prunedAt when
	 * @param complete whether all its rows are gone; false after a prune was interrupted
	 * between deleting the run and deleting its findings and audit, which the next prune
	 * deletes
	 */
	public record PrunedRun(long runId, RunIdentity identity, @Nullable Instant endedAt, Instant cutoff,
			long restorableClears, Instant prunedAt, boolean complete) {

		/**
		 * {@code Run 42 (apply, partition 0 of 1) was pruned on …: it ended …, before
		 * prune's cutoff …}.
		 */
		public String describe() {
			return "Run " + this.runId + " (" + this.identity.mode().label() + ", partition "
					+ this.identity.partition() + " of " + this.identity.partitions() + ") was pruned on "
					+ seconds(this.prunedAt) + ": it ended "
					+ ((this.endedAt != null) ? seconds(this.endedAt) : "at an unknown time")
					+ ", before prune's cutoff " + seconds(this.cutoff);
		}

		private static String seconds(Instant instant) {
			return instant.truncatedTo(ChronoUnit.SECONDS).toString();
		}

	}

}
