package io.cannobserv.reconciler.metrics;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * When the last run of a kind completed, read from the job's own history
 * ({@code reconcile_run}, one row per run). Every run pushes it, whatever its own
 * outcome, so a failed night cannot drop it from its Pushgateway group, and the value
 * comes back right after a lost push or a Pushgateway restart.
 */
@Component
class LastSuccessfulRun {

	private static final Logger logger = LoggerFactory.getLogger(LastSuccessfulRun.class);

	private final JdbcTemplate jdbc;

	private final String table;

	LastSuccessfulRun(JdbcTemplate jdbc, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.table = jobSchema.table("reconcile_run");
	}

	/**
	 * When the last run of this kind (mode, partition, partitions and Archiver table)
	 * that exited 0 ended; empty when none has, or when the history cannot be read (a
	 * metric left out is better than a run that fails for it).
	 */
	Optional<Instant> endedAt(String mode, int partition, int partitions, String table) {
		try {
			if (!Boolean.TRUE
				.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, this.table))) {
				return Optional.empty();
			}
			OffsetDateTime endedAt = this.jdbc.queryForObject("SELECT max(ended_at) FROM " + this.table
					+ " WHERE exit_code = 0 AND mode = ? AND partition = ? AND partitions = ? AND archiver_table = ?",
					OffsetDateTime.class, mode, partition, partitions, table);
			return Optional.ofNullable(endedAt).map(OffsetDateTime::toInstant);
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot read the last successful run from {}: {}; the metric is left out of this push",
					this.table, Failures.rootMessage(ex));
			return Optional.empty();
		}
	}

}
