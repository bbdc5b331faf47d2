package io.cannobserv.reconciler.reconcile;

import java.sql.Types;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * The chunk at which the safety brake halted an applying run: judged, never written. Its
 * transaction rolled back with everything it would have written (clears, audit rows,
 * findings, counts, the night's figures); what the operator must judge before overriding
 * the brake is recorded after that, in a transaction of its own: the chunk's counts and
 * the verdict on each of its pointers, its gone ones as would clear. A report shows the
 * halt of its run's latest execution only: a resume reads the chunk again and judges it
 * anew.
 */
@Component
class HaltedChunks {

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final JobSchema jobSchema;

	private final JsonMapper jsonMapper;

	HaltedChunks(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager, JobSchema jobSchema,
			JsonMapper jsonMapper) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		// never part of the rolled-back chunk's transaction, wherever it is called from
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.jobSchema = jobSchema;
		this.jsonMapper = jsonMapper;
	}

	/** Records a halted chunk: its counts and its pointers, together or not at all. */
	void record(HaltedChunk chunk) {
		this.transaction.executeWithoutResult((status) -> {
			int inserted = this.jdbc.update("INSERT INTO " + this.jobSchema.table("brake_halt")
					+ " (job_execution_id, run_id, counts) VALUES (:jobExecutionId, :runId, CAST(:counts AS jsonb))"
					+ " ON CONFLICT (job_execution_id) DO NOTHING",
					new MapSqlParameterSource().addValue("jobExecutionId", chunk.jobExecutionId())
						.addValue("runId", chunk.runId())
						.addValue("counts", this.jsonMapper.writeValueAsString(chunk.counts())));
			if (inserted == 0) {
				return;
			}
			this.jdbc.batchUpdate("INSERT INTO " + this.jobSchema.table("brake_halt_pointer")
					+ " (job_execution_id, info_item_id, watcher_item_id, verdict, http_status, evidence, relinked_to,"
					+ " list_evidence, confirm_evidence) VALUES (:jobExecutionId, :infoItemId, :watcherItemId,"
					+ " :verdict, :httpStatus, :evidence, :relinkedTo, :listEvidence, :confirmEvidence)"
					+ " ON CONFLICT DO NOTHING",
					chunk.pointers()
						.stream()
						.map((pointer) -> new MapSqlParameterSource().addValue("jobExecutionId", chunk.jobExecutionId())
							.addValue("infoItemId", pointer.infoItemId())
							.addValue("watcherItemId", pointer.watcherItemId())
							.addValue("verdict", pointer.outcome().name())
							.addValue("httpStatus", pointer.httpStatus())
							.addValue("evidence", pointer.evidence())
							.addValue("relinkedTo", pointer.relinkedTo(), Types.VARCHAR)
							.addValue("listEvidence", pointer.listEvidence(), Types.VARCHAR)
							.addValue("confirmEvidence", pointer.confirmEvidence(), Types.VARCHAR))
						.toArray(SqlParameterSource[]::new));
		});
	}

	/** The chunk at which {@code jobExecutionId} halted, as recorded, if it did. */
	Optional<Halt> find(long jobExecutionId) {
		List<Halt> halts = this.jdbc.query(
				"SELECT h.counts::text, (SELECT count(*) FROM " + this.jobSchema.table("brake_halt_pointer")
						+ " p WHERE p.job_execution_id = h.job_execution_id) FROM " + this.jobSchema.table("brake_halt")
						+ " h WHERE h.job_execution_id = :id",
				new MapSqlParameterSource("id", jobExecutionId),
				(rs, row) -> new Halt(this.jsonMapper.readValue(rs.getString(1), RunCounts.class), rs.getLong(2)));
		return halts.stream().findFirst();
	}

	/**
	 * A halted chunk, as recorded.
	 *
	 * @param counts its counts
	 * @param pointers how many pointers it held
	 */
	record Halt(RunCounts counts, long pointers) {
	}

	/**
	 * A chunk the brake halted.
	 *
	 * @param runId its run
	 * @param jobExecutionId the execution it halted
	 * @param counts its counts, as a written chunk would have added them, with its gone
	 * (moved) pointers as would clear (would re-link)
	 * @param pointers every pointer it judged, with the verdict on it
	 */
	record HaltedChunk(long runId, long jobExecutionId, RunCounts counts, List<HaltedPointer> pointers) {
	}

	/**
	 * A pointer of a halted chunk.
	 *
	 * @param outcome {@link Outcome#WOULD_CLEAR} or {@link Outcome#WOULD_RELINK} for a
	 * stale one, else its verdict
	 */
	record HaltedPointer(String infoItemId, String watcherItemId, Outcome outcome, int httpStatus, String evidence,
			@Nullable String relinkedTo, @Nullable String listEvidence, @Nullable String confirmEvidence) {
	}

}
