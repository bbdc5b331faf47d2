package io.cannobserv.reconciler.reconcile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.ReconcilerProperties.ArchiverTable;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.guard.SafetyBrake.BrakeTrip;
import io.cannobserv.reconciler.guard.SafetyBrakeException;
import io.cannobserv.reconciler.report.RunCounts;
import io.cannobserv.reconciler.report.PointerText;
import io.cannobserv.reconciler.reconcile.PointerVerdict.Kind;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * Writes a chunk of verdicts in the chunk's transaction. In apply mode each {@code GONE}
 * pointer is cleared with a compare-and-set that, in the same statement, deletes the
 * InfoItem's {@code watch_status} row (where that table exists) and writes the audit row:
 * a pointer re-linked since it was read matches nothing and is reported as changed
 * concurrently. Every pointer that is not live is recorded as a finding for the report.
 * Logs are written after the commit, so they tell only what happened.
 */
class StalePointerWriter implements ItemWriter<PointerVerdict>, StepExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(StalePointerWriter.class);

	static final String CHANGED_CONCURRENTLY = "CHANGED_CONCURRENTLY";

	static final String WOULD_CLEAR = "WOULD_CLEAR";

	/** Step context key: why the brake would have tripped, in a dry run. */
	public static final String BRAKE_WOULD_TRIP = "reconciler.brake.wouldTrip";

	private static final int EVIDENCE_LIMIT = 500;

	private final NamedParameterJdbcTemplate jdbc;

	private final ArchiverTable archiver;

	private final JobSchema jobSchema;

	private final VerdictTally tally;

	private final SafetyBrake brake;

	private final JobRepository jobRepository;

	private final boolean recheck;

	private @Nullable RunScope run;

	/**
	 * @param recheck whether this writes the recheck of the first pass's transient
	 * pointers: each replaces the pointer's transient finding, and the counts move from
	 * transient to the new verdict
	 */
	StalePointerWriter(NamedParameterJdbcTemplate jdbc, ReconcilerProperties properties, JobSchema jobSchema,
			VerdictTally tally, SafetyBrake brake, JobRepository jobRepository, boolean recheck) {
		this.jdbc = jdbc;
		this.archiver = properties.archiver();
		this.jobSchema = jobSchema;
		this.tally = tally;
		this.brake = brake;
		this.jobRepository = jobRepository;
		this.recheck = recheck;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		RunMode mode = RunMode.fromLabel(stepExecution.getJobParameters().getString(ReconcileJobParameters.MODE));
		boolean watchStatus = Boolean.TRUE.equals(this.jdbc.getJdbcTemplate()
			.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
					this.archiver.qualifiedWatchStatusTable()));
		// the brake judges the whole run: a recheck adds to what the first pass committed
		RunCounts baseline = RunCounts.ZERO;
		if (this.recheck) {
			StepExecution firstPass = this.jobRepository
				.getLastStepExecution(stepExecution.getJobExecution().getJobInstance(), ReconcileJobConfiguration.STEP_NAME);
			baseline = (firstPass != null) ? RunCounts.from(firstPass.getExecutionContext()) : RunCounts.ZERO;
		}
		this.run = new RunScope(stepExecution.getJobExecution().getJobInstance().getInstanceId(),
				stepExecution.getJobExecutionId(), mode, clearSql(watchStatus), stepExecution.getExecutionContext(),
				baseline);
	}

	@Override
	public void write(Chunk<? extends PointerVerdict> chunk) {
		RunScope run = currentRun();
		Map<Kind, Long> verdicts = new EnumMap<>(Kind.class);
		List<PointerVerdict> gone = new ArrayList<>();
		List<Finding> findings = new ArrayList<>();
		for (PointerVerdict verdict : chunk) {
			verdicts.merge(verdict.kind(), 1L, Long::sum);
			if (verdict.kind() == Kind.GONE) {
				gone.add(verdict);
			}
			else if (verdict.kind() != Kind.LIVE && verdict.kind() != Kind.ARCHIVED) {
				findings.add(new Finding(verdict, verdict.kind().name()));
			}
		}
		// a recheck reads pointers the first pass already counted: they move from transient to their verdict
		long read = this.recheck ? 0 : chunk.size();
		long transients = count(verdicts, Kind.TRANSIENT) - (this.recheck ? chunk.size() : 0);
		RunCounts checked = new RunCounts(read, count(verdicts, Kind.LIVE), count(verdicts, Kind.ARCHIVED),
				gone.size(), 0, 0, 0, count(verdicts, Kind.NOT_FOUND_UNCONFIRMED), count(verdicts, Kind.MALFORMED),
				count(verdicts, Kind.MISMATCHED), transients);
		this.brake.check(run.baseline().plus(this.tally.committed()), checked).ifPresent((trip) -> brake(run, trip));
		if (this.recheck) {
			forgetTransientFindings(run, chunk);
		}
		List<PointerVerdict> cleared = new ArrayList<>();
		if (run.mode() == RunMode.APPLY) {
			int[] updates = clear(run, gone);
			for (int i = 0; i < gone.size(); i++) {
				if (updates[i] == 1) {
					cleared.add(gone.get(i));
				}
				else if (updates[i] == 0) {
					findings.add(new Finding(gone.get(i), CHANGED_CONCURRENTLY));
				}
				else {
					throw new IllegalStateException("Compare-and-set of InfoItem " + gone.get(i).pointer().infoItemId()
							+ " matched " + updates[i] + " rows; expected 0 or 1");
				}
			}
		}
		else {
			gone.forEach((verdict) -> findings.add(new Finding(verdict, WOULD_CLEAR)));
		}
		record(run, findings);
		long changed = findings.stream().filter((f) -> f.verdict().equals(CHANGED_CONCURRENTLY)).count();
		RunCounts counts = checked.plus(new RunCounts(0, 0, 0, 0, cleared.size(),
				(run.mode() == RunMode.APPLY) ? 0 : gone.size(), changed, 0, 0, 0, 0));
		this.tally.add(counts);
		int rechecked = this.recheck ? chunk.size() : 0;
		afterCommit(() -> logChunk(run, counts, rechecked, cleared, findings));
	}

	/**
	 * In apply mode the chunk is not written: the exception rolls it back and fails the run.
	 * A dry run notes once that the brake would trip, and goes on classifying.
	 */
	private void brake(RunScope run, BrakeTrip trip) {
		if (run.mode() == RunMode.APPLY) {
			throw new SafetyBrakeException(trip);
		}
		if (!run.stepContext().containsKey(BRAKE_WOULD_TRIP)) {
			logger.warn("Safety brake would trip here in apply mode: {}", trip.message());
			run.stepContext().putString(BRAKE_WOULD_TRIP, trip.message());
		}
	}

	private void forgetTransientFindings(RunScope run, Chunk<? extends PointerVerdict> chunk) {
		this.jdbc.batchUpdate("DELETE FROM " + this.jobSchema.table("pointer_finding")
				+ " WHERE run_id = :runId AND info_item_id = :infoItemId AND verdict = 'TRANSIENT'",
				chunk.getItems()
					.stream()
					.map((verdict) -> parameters(run, verdict))
					.toArray(SqlParameterSource[]::new));
	}

	private int[] clear(RunScope run, List<PointerVerdict> gone) {
		if (gone.isEmpty()) {
			return new int[0];
		}
		SqlParameterSource[] batch = gone.stream()
			.map((verdict) -> parameters(run, verdict).addValue("httpStatus", verdict.httpStatus()))
			.toArray(SqlParameterSource[]::new);
		return this.jdbc.batchUpdate(run.clearSql(), batch);
	}

	private void record(RunScope run, List<Finding> findings) {
		if (findings.isEmpty()) {
			return;
		}
		SqlParameterSource[] batch = findings.stream()
			.map((finding) -> parameters(run, finding.source()).addValue("verdict", finding.verdict())
				.addValue("httpStatus", finding.source().httpStatus()))
			.toArray(SqlParameterSource[]::new);
		this.jdbc.batchUpdate("INSERT INTO " + this.jobSchema.table("pointer_finding")
				+ " (run_id, info_item_id, watcher_item_id, verdict, http_status, evidence, job_execution_id)"
				+ " VALUES (:runId, :infoItemId, :watcherItemId, :verdict, :httpStatus, :evidence, :jobExecutionId)"
				+ " ON CONFLICT (run_id, info_item_id) DO NOTHING", batch);
	}

	private MapSqlParameterSource parameters(RunScope run, PointerVerdict verdict) {
		String evidence = verdict.evidence();
		return new MapSqlParameterSource().addValue("runId", run.runId())
			.addValue("jobExecutionId", run.jobExecutionId())
			.addValue("infoItemId", verdict.pointer().infoItemId())
			.addValue("watcherItemId", verdict.pointer().watcherItemId())
			.addValue("evidence", (evidence.length() > EVIDENCE_LIMIT) ? evidence.substring(0, EVIDENCE_LIMIT) : evidence);
	}

	private String clearSql(boolean watchStatus) {
		String id = this.archiver.idColumn();
		String pointer = this.archiver.pointerColumn();
		String forgetStatus = watchStatus ? ", forgotten_status AS (DELETE FROM "
				+ this.archiver.qualifiedWatchStatusTable() + " s USING cleared c WHERE s." + id + " = c.info_item_id)"
				: "";
		return "WITH cleared AS (UPDATE " + this.archiver.qualifiedTable() + " SET " + pointer
				+ " = NULL, updated_at = now() WHERE " + id + " = :infoItemId AND " + pointer
				+ " = :watcherItemId RETURNING " + id + " AS info_item_id)" + forgetStatus + " INSERT INTO "
				+ this.jobSchema.table("pointer_clear")
				+ " (run_id, job_execution_id, info_item_id, watcher_item_id, http_status, evidence)"
				+ " SELECT :runId, :jobExecutionId, info_item_id, :watcherItemId, :httpStatus, :evidence FROM cleared";
	}

	private RunScope currentRun() {
		RunScope run = this.run;
		if (run == null) {
			throw new IllegalStateException("The writer was used outside a step");
		}
		return run;
	}

	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}

	private static void logChunk(RunScope run, RunCounts counts, int rechecked, List<PointerVerdict> cleared,
			List<Finding> findings) {
		for (PointerVerdict verdict : cleared) {
			logger.info("Cleared pointer of InfoItem {} to WatchedItem {} ({})", verdict.pointer().infoItemId(),
					verdict.pointer().watcherItemId(), verdict.evidence());
		}
		for (Finding finding : findings) {
			PointerVerdict verdict = finding.source();
			logger.info("{} InfoItem {} pointer {} ({}): {}",
					finding.verdict().equals(WOULD_CLEAR) ? "Would clear" : "Kept", verdict.pointer().infoItemId(),
					PointerText.quoted(verdict.pointer().watcherItemId()), finding.verdict(), verdict.evidence());
		}
		if (rechecked > 0) {
			logger.info("Recheck committed (run {}, {}): rechecked={} live={} archived={} gone={} cleared={} "
					+ "wouldClear={} changedConcurrently={} notFoundUnconfirmed={} mismatched={} stillTransient={}",
					run.runId(), run.mode().label(), rechecked, counts.live(), counts.archived(), counts.gone(),
					counts.cleared(), counts.wouldClear(), counts.changedConcurrently(), counts.notFoundUnconfirmed(),
					counts.mismatched(), counts.transientCount() + rechecked);
			return;
		}
		logger.info("Chunk committed (run {}, {}): checked={} live={} archived={} gone={} cleared={} wouldClear={} "
				+ "changedConcurrently={} notFoundUnconfirmed={} malformed={} mismatched={} transient={}",
				run.runId(), run.mode().label(), counts.read(), counts.live(), counts.archived(), counts.gone(),
				counts.cleared(), counts.wouldClear(), counts.changedConcurrently(), counts.notFoundUnconfirmed(),
				counts.malformed(), counts.mismatched(), counts.transientCount());
	}

	private static long count(Map<Kind, Long> verdicts, Kind kind) {
		return verdicts.getOrDefault(kind, 0L);
	}

	private record RunScope(long runId, long jobExecutionId, RunMode mode, String clearSql,
			ExecutionContext stepContext, RunCounts baseline) {
	}

	/** A pointer the report lists, with what happened to it. */
	private record Finding(PointerVerdict source, String verdict) {
	}

}
