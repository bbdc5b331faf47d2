package io.cannobserv.reconciler.reconcile;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.batch.core.ExitStatus;
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

import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.archiver.PointerTable.Clear;
import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.guard.BrakeSweeps;
import io.cannobserv.reconciler.guard.BrakeSweeps.Sweep;
import io.cannobserv.reconciler.guard.NightHolds;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.guard.SafetyBrake.BrakeTrip;
import io.cannobserv.reconciler.guard.SafetyBrake.Figures;
import io.cannobserv.reconciler.guard.SafetyBrakeException;
import io.cannobserv.reconciler.reconcile.HaltedChunks.HaltedChunk;
import io.cannobserv.reconciler.reconcile.HaltedChunks.HaltedPointer;
import io.cannobserv.reconciler.reconcile.PointerVerdict.Relink;
import io.cannobserv.reconciler.report.PointerText;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * Writes a chunk of verdicts in the chunk's transaction. In apply mode each {@code GONE}
 * pointer is cleared, and each {@code MOVED} one re-linked, with a compare-and-set that,
 * in the same statement, deletes the InfoItem's {@code watch_status} row (where that
 * table exists) and writes the audit row: a pointer changed since it was read matches
 * nothing and is reported as changed concurrently. Every pointer whose outcome is a
 * {@link Outcome#isFinding() finding} is recorded for the report. Logs are written after
 * the commit, so they tell only what happened.
 * <p>
 * The {@link #firstPass first pass} counts every pointer it reads; the {@link #recheck
 * recheck} reads pointers the first pass counted as transient, so each replaces its
 * transient finding and moves from transient to its new verdict.
 */
final class StalePointerWriter implements ItemWriter<PointerVerdict>, StepExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(StalePointerWriter.class);

	/**
	 * One line per pointer cleared, re-linked or kept: a logger of its own, so that
	 * {@code logging.level.io.cannobserv.reconciler.pointers=warn} turns them down and
	 * leaves the chunk lines.
	 */
	static final String POINTERS = "io.cannobserv.reconciler.pointers";

	/** One line per committed chunk, with its counts. */
	static final String CHUNKS = "io.cannobserv.reconciler.chunks";

	private static final Logger pointerLogger = LoggerFactory.getLogger(POINTERS);

	private static final Logger chunkLogger = LoggerFactory.getLogger(CHUNKS);

	/** Step context key: why the brake would have tripped, in a dry run. */
	static final String BRAKE_WOULD_TRIP = "reconciler.brake.wouldTrip";

	/** Step context key: the limit a dry run would first have passed. */
	static final String BRAKE_WOULD_TRIP_LIMIT = "reconciler.brake.wouldTrip.limit";

	/**
	 * Step context key: the {@code --max-clears} that would let every chunk of a dry run
	 * through.
	 */
	static final String BRAKE_WOULD_TRIP_MAX_CLEARS = "reconciler.brake.wouldTrip.maxClears";

	/**
	 * Step context key: the {@code --max-clear-fraction} that would let every chunk of a
	 * dry run through.
	 */
	static final String BRAKE_WOULD_TRIP_FRACTION = "reconciler.brake.wouldTrip.maxClearFraction";

	private static final int EVIDENCE_LIMIT = 500;

	private final Pass pass;

	private final PointerTable pointerTable;

	private final NamedParameterJdbcTemplate jdbc;

	private final JobSchema jobSchema;

	private final VerdictTally tally;

	private final SafetyBrake brake;

	private final BrakeSweeps sweeps;

	private final HaltedChunks halts;

	private final RunProgress progress;

	private final NightHolds holds;

	private @Nullable RunScope run;

	private NightHolds.@Nullable Watch night;

	/** The chunk the brake halted, recorded once its transaction has rolled back. */
	private @Nullable HaltedChunk halted;

	private StalePointerWriter(Pass pass, PointerTable pointerTable, NamedParameterJdbcTemplate jdbc,
			JobSchema jobSchema, VerdictTally tally, SafetyBrake brake, BrakeSweeps sweeps, HaltedChunks halts,
			NightHolds holds, RunProgress progress) {
		this.pass = pass;
		this.pointerTable = pointerTable;
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
		this.tally = tally;
		this.brake = brake;
		this.sweeps = sweeps;
		this.halts = halts;
		this.progress = progress;
		this.holds = holds;
	}

	/** The writer of the first pass: every pointer of a chunk is read once, here. */
	static StalePointerWriter firstPass(PointerTable pointerTable, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			VerdictTally tally, SafetyBrake brake, BrakeSweeps sweeps, HaltedChunks halts, NightHolds holds,
			RunProgress progress) {
		return new StalePointerWriter(
				new Pass("Chunk committed", "checked", (step) -> RunCounts.ZERO, false,
						(chunk) -> RunCounts.of(Outcome.READ, chunk)),
				pointerTable, jdbc, jobSchema, tally, brake, sweeps, halts, holds, progress);
	}

	/**
	 * The writer of the recheck: its run's committed counts start from what the first
	 * pass committed.
	 */
	static StalePointerWriter recheck(PointerTable pointerTable, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			VerdictTally tally, SafetyBrake brake, BrakeSweeps sweeps, HaltedChunks halts, NightHolds holds,
			RunProgress progress, JobRepository jobRepository) {
		Function<StepExecution, RunCounts> firstPassCounts = (step) -> {
			StepExecution firstPass = jobRepository.getLastStepExecution(step.getJobExecution().getJobInstance(),
					ReconcileJobConfiguration.STEP_NAME);
			return (firstPass != null) ? VerdictTally.countsIn(firstPass.getExecutionContext()) : RunCounts.ZERO;
		};
		return new StalePointerWriter(
				new Pass("Recheck committed", "rechecked", firstPassCounts, true,
						(chunk) -> RunCounts.of(Outcome.TRANSIENT, -chunk)),
				pointerTable, jdbc, jobSchema, tally, brake, sweeps, halts, holds, progress);
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		RunIdentity identity = RunIdentity.of(stepExecution.getJobParameters(), this.pointerTable.table().identity());
		long runId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		// a run of a release without sweeps joins one with what it committed so far
		RunCounts committed = this.pass.baseline()
			.apply(stepExecution)
			.plus(VerdictTally.countsIn(stepExecution.getExecutionContext()));
		Sweep sweep = this.sweeps.join(runId, identity, Figures.of(committed, identity.partitions()));
		this.run = new RunScope(runId, stepExecution.getJobExecutionId(), identity.mode(),
				this.pointerTable.hasWatchStatus(), stepExecution.getExecutionContext(), sweep);
		this.halted = null;
		// while the step works, a Retry-After that any partition of the night gets holds
		// this one too
		this.night = this.holds.watch(sweep, identity);
	}

	/**
	 * Stops sharing the night's holds, and records the chunk the brake halted, if it did:
	 * its transaction has rolled back by now. A failure to record it costs the report its
	 * pointers, never the halt.
	 */
	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		NightHolds.Watch night = this.night;
		this.night = null;
		if (night != null) {
			night.close();
		}
		HaltedChunk halted = this.halted;
		this.halted = null;
		if (halted != null) {
			try {
				this.halts.record(halted);
			}
			catch (RuntimeException ex) {
				logger.warn(
						"The pointers of the chunk the safety brake halted could not be recorded for the report: {}",
						Failures.rootMessage(ex));
			}
		}
		return null;
	}

	@Override
	public void write(Chunk<? extends PointerVerdict> chunk) {
		RunScope run = currentRun();
		RunCounts verdicts = RunCounts.ZERO;
		List<PointerVerdict> stale = new ArrayList<>();
		List<Finding> findings = new ArrayList<>();
		for (PointerVerdict verdict : chunk) {
			verdicts = verdicts.plus(verdict.outcome(), 1);
			if (verdict.pointer().listed() != null) {
				verdicts = verdicts.plus(Outcome.FROM_SNAPSHOT, 1);
			}
			if (verdict.outcome().isStale()) {
				stale.add(verdict);
			}
			else if (verdict.outcome().isFinding()) {
				findings.add(new Finding(verdict, verdict.outcome()));
			}
		}
		RunCounts checked = verdicts.plus(this.pass.intake().apply((long) chunk.size()));
		// the sweep's row stays locked until this chunk ends: partitions are judged one
		// after another, each on everything the others committed
		Optional<BrakeTrip> trip = this.brake
			.check(this.sweeps.add(run.sweep(), Figures.of(checked, run.sweep().partitions())));
		if (trip.isPresent()) {
			if (run.mode() == RunMode.APPLY) {
				throw halt(run, trip.get(), chunk, checked, stale);
			}
			noteWouldTrip(run, trip.get());
		}
		if (this.pass.replacesTransientFindings()) {
			forgetTransientFindings(run, chunk);
		}
		List<PointerVerdict> written = new ArrayList<>();
		if (run.mode() == RunMode.APPLY) {
			int[] updates = this.pointerTable.clear(stale.stream().map((verdict) -> write(run, verdict)).toList(),
					run.watchStatus());
			for (int i = 0; i < stale.size(); i++) {
				PointerVerdict verdict = stale.get(i);
				Outcome outcome = CompareAndSet.written(verdict, updates[i]);
				if (outcome.isFinding()) {
					findings.add(new Finding(verdict, outcome));
				}
				else {
					written.add(verdict);
				}
			}
		}
		else {
			stale.forEach((verdict) -> findings.add(new Finding(verdict, CompareAndSet.notWritten(verdict))));
		}
		record(run, findings);
		RunCounts writes = RunCounts.ZERO;
		for (PointerVerdict verdict : written) {
			writes = writes.plus(CompareAndSet.written(verdict, 1), 1);
		}
		for (Finding finding : findings) {
			if (finding.outcome().isWrite()) {
				writes = writes.plus(finding.outcome(), 1);
			}
		}
		RunCounts added = checked.plus(writes);
		this.tally.add(added);
		RunCounts logged = verdicts.plus(writes);
		afterCommit(() -> {
			logChunk(run, chunk.size(), logged, written, findings);
			this.progress.committed(added);
		});
	}

	/**
	 * In apply mode the chunk is not written: the exception rolls it back and ends the
	 * run. Its judgment is kept for the report, recorded once the rollback is done
	 * ({@link #afterStep}): each pointer with its verdict, the stale ones as would clear
	 * (would re-link), and the chunk's counts to match. One WARN line says so; the
	 * framework's errors about the exception are quiet ({@link BrakeHaltLog}).
	 */
	private SafetyBrakeException halt(RunScope run, BrakeTrip trip, Chunk<? extends PointerVerdict> chunk,
			RunCounts checked, List<PointerVerdict> stale) {
		RunCounts counts = checked;
		List<HaltedPointer> pointers = new ArrayList<>();
		for (PointerVerdict verdict : chunk) {
			Outcome outcome = verdict.outcome();
			if (outcome.isStale()) {
				outcome = CompareAndSet.notWritten(verdict);
				counts = counts.plus(outcome, 1);
			}
			@Nullable Relink relink = verdict.relink();
			pointers.add(new HaltedPointer(verdict.pointer().infoItemId(), verdict.pointer().watcherItemId(), outcome,
					verdict.httpStatus(), evidence(verdict), (relink != null) ? relink.watchedItemId() : null,
					(relink != null) ? limited(relink.listEvidence()) : null,
					(relink != null) ? limited(relink.confirmEvidence()) : null));
		}
		this.halted = new HaltedChunk(run.runId(), run.jobExecutionId(), counts, pointers);
		BrakeHaltLog.halting();
		logger.atWarn()
			.setMessage("Safety brake halted run {} before writing a chunk of {} pointers, {} of them to clear: {}. "
					+ "Judge them in the report; to let them through: reconcile --apply {}")
			.addArgument(run.runId())
			.addArgument(chunk.size())
			.addArgument(stale.size())
			.addArgument(trip.message())
			.addArgument(trip.override())
			.addKeyValue("brakeLimit", trip.limit())
			.addKeyValue("notWritten", chunk.size())
			.addKeyValue("toClear", stale.size())
			.addKeyValue("override", trip.override())
			.log();
		return new SafetyBrakeException(trip);
	}

	/**
	 * A dry run notes that the brake would trip, where it first would, and goes on
	 * classifying. Each later chunk that would trip raises the override that lets the
	 * whole run through.
	 */
	private void noteWouldTrip(RunScope run, BrakeTrip trip) {
		ExecutionContext context = run.stepContext();
		if (!context.containsKey(BRAKE_WOULD_TRIP)) {
			logger.warn("Safety brake would trip here in apply mode: {}", trip.message());
			context.putString(BRAKE_WOULD_TRIP, trip.message());
			context.putString(BRAKE_WOULD_TRIP_LIMIT, trip.limit());
		}
		if (trip.neededMaxClears() != null) {
			context.putLong(BRAKE_WOULD_TRIP_MAX_CLEARS,
					Math.max(trip.neededMaxClears(), context.getLong(BRAKE_WOULD_TRIP_MAX_CLEARS, 0L)));
		}
		BigDecimal fraction = trip.neededFraction();
		if (fraction != null) {
			String noted = context.getString(BRAKE_WOULD_TRIP_FRACTION, "0");
			context.putString(BRAKE_WOULD_TRIP_FRACTION, fraction.max(new BigDecimal(noted)).toPlainString());
		}
	}

	private void forgetTransientFindings(RunScope run, Chunk<? extends PointerVerdict> chunk) {
		this.jdbc.batchUpdate(
				"DELETE FROM " + this.jobSchema.table("pointer_finding")
						+ " WHERE run_id = :runId AND info_item_id = :infoItemId AND verdict = :verdict",
				chunk.getItems()
					.stream()
					.map((verdict) -> parameters(run, verdict).addValue("verdict", Outcome.TRANSIENT.name()))
					.toArray(SqlParameterSource[]::new));
	}

	private void record(RunScope run, List<Finding> findings) {
		if (findings.isEmpty()) {
			return;
		}
		SqlParameterSource[] batch = findings.stream().map((finding) -> {
			@Nullable Relink relink = finding.source().relink();
			return parameters(run, finding.source()).addValue("verdict", finding.outcome().name())
				.addValue("httpStatus", finding.source().httpStatus())
				.addValue("archiverTable", this.pointerTable.table().identity())
				.addValue("relinkedTo", (relink != null) ? relink.watchedItemId() : null, Types.VARCHAR)
				.addValue("listEvidence", (relink != null) ? limited(relink.listEvidence()) : null, Types.VARCHAR)
				.addValue("confirmEvidence", (relink != null) ? limited(relink.confirmEvidence()) : null,
						Types.VARCHAR);
		}).toArray(SqlParameterSource[]::new);
		this.jdbc.batchUpdate("INSERT INTO " + this.jobSchema.table("pointer_finding")
				+ " (run_id, archiver_table, info_item_id, watcher_item_id, verdict, http_status, evidence,"
				+ " job_execution_id, relinked_to, list_evidence, confirm_evidence) VALUES (:runId, :archiverTable,"
				+ " :infoItemId, :watcherItemId, :verdict, :httpStatus, :evidence, :jobExecutionId, :relinkedTo,"
				+ " :listEvidence, :confirmEvidence) ON CONFLICT (run_id, info_item_id) DO NOTHING", batch);
	}

	/** The write of a gone pointer (a clear) or a moved one (a re-link). */
	private static Clear write(RunScope run, PointerVerdict verdict) {
		@Nullable Relink relink = verdict.relink();
		return new Clear(run.runId(), run.jobExecutionId(), verdict.pointer().infoItemId(),
				verdict.pointer().watcherItemId(), verdict.httpStatus(), evidence(verdict),
				(relink != null) ? relink.watchedItemId() : null,
				(relink != null) ? limited(relink.listEvidence()) : null,
				(relink != null) ? limited(relink.confirmEvidence()) : null);
	}

	private static MapSqlParameterSource parameters(RunScope run, PointerVerdict verdict) {
		return new MapSqlParameterSource().addValue("runId", run.runId())
			.addValue("jobExecutionId", run.jobExecutionId())
			.addValue("infoItemId", verdict.pointer().infoItemId())
			.addValue("watcherItemId", verdict.pointer().watcherItemId())
			.addValue("evidence", evidence(verdict));
	}

	private static String evidence(PointerVerdict verdict) {
		return limited(verdict.evidence());
	}

	private static String limited(String evidence) {
		return (evidence.length() > EVIDENCE_LIMIT) ? evidence.substring(0, EVIDENCE_LIMIT) : evidence;
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

	private void logChunk(RunScope run, int size, RunCounts outcomes, List<PointerVerdict> written,
			List<Finding> findings) {
		for (PointerVerdict verdict : written) {
			@Nullable Relink relink = verdict.relink();
			if (relink != null) {
				pointerLine(verdict, Outcome.RELINKED)
					.setMessage("Re-linked pointer of InfoItem {} from WatchedItem {} to {} ({}; {}; {})")
					.addArgument(verdict.pointer().infoItemId())
					.addArgument(verdict.pointer().watcherItemId())
					.addArgument(relink.watchedItemId())
					.addArgument(verdict.evidence())
					.addArgument(relink.listEvidence())
					.addArgument(relink.confirmEvidence())
					.addKeyValue("relinkedTo", relink.watchedItemId())
					.log();
			}
			else {
				pointerLine(verdict, Outcome.CLEARED)
					.setMessage("Cleared pointer of InfoItem {} to WatchedItem {} ({})")
					.addArgument(verdict.pointer().infoItemId())
					.addArgument(verdict.pointer().watcherItemId())
					.addArgument(verdict.evidence())
					.log();
			}
		}
		for (Finding finding : findings) {
			PointerVerdict verdict = finding.source();
			@Nullable Relink relink = verdict.relink();
			if (finding.outcome() == Outcome.WOULD_RELINK && relink != null) {
				pointerLine(verdict, finding.outcome())
					.setMessage("Would re-link InfoItem {} pointer {} to {} ({}; {}; {})")
					.addArgument(verdict.pointer().infoItemId())
					.addArgument(verdict.pointer().watcherItemId())
					.addArgument(relink.watchedItemId())
					.addArgument(verdict.evidence())
					.addArgument(relink.listEvidence())
					.addArgument(relink.confirmEvidence())
					.addKeyValue("relinkedTo", relink.watchedItemId())
					.log();
				continue;
			}
			pointerLine(verdict, finding.outcome()).setMessage("{} InfoItem {} pointer {} ({}): {}")
				.addArgument((finding.outcome() == Outcome.WOULD_CLEAR) ? "Would clear" : "Kept")
				.addArgument(verdict.pointer().infoItemId())
				.addArgument(PointerText.quoted(verdict.pointer().watcherItemId()))
				.addArgument(finding.outcome())
				.addArgument(verdict.evidence())
				.log();
		}
		Map<String, Long> figures = new LinkedHashMap<>(outcomes.asMap());
		figures.remove(Outcome.READ.jsonName());
		LoggingEventBuilder line = chunkLogger.atInfo()
			.setMessage("{} (run {}, {}): {}={} {}")
			.addArgument(this.pass.logTitle())
			.addArgument(run.runId())
			.addArgument(run.mode().label())
			.addArgument(this.pass.sizeName())
			.addArgument(size)
			.addArgument(() -> figures.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.collect(Collectors.joining(" ")))
			.addKeyValue(this.pass.sizeName(), size);
		figures.forEach((outcome, count) -> line.addKeyValue("counts." + outcome, count));
		line.log();
	}

	/**
	 * A line about one pointer, at INFO, with its facts as fields: the InfoItem, its
	 * pointer, Watcher's verdict and HTTP status, the evidence, and what the run did
	 * ({@code outcome}, as the metrics and the report's counts name it).
	 */
	private static LoggingEventBuilder pointerLine(PointerVerdict verdict, Outcome outcome) {
		return pointerLogger.atInfo()
			.addKeyValue("infoItemId", verdict.pointer().infoItemId())
			.addKeyValue("watcherItemId", verdict.pointer().watcherItemId())
			.addKeyValue("verdict", verdict.outcome().name())
			.addKeyValue("outcome", outcome.jsonName())
			.addKeyValue("httpStatus", verdict.httpStatus())
			.addKeyValue("evidence", verdict.evidence());
	}

	/**
	 * What sets a pass apart.
	 *
	 * @param logTitle the start of its line per chunk
	 * @param sizeName what the chunk's size is called in that line
	 * @param baseline what the run had committed before the step
	 * @param replacesTransientFindings whether each pointer's transient finding is
	 * replaced
	 * @param intake the counts a chunk of that many pointers adds before its verdicts
	 */
	private record Pass(String logTitle, String sizeName, Function<StepExecution, RunCounts> baseline,
			boolean replacesTransientFindings, Function<Long, RunCounts> intake) {
	}

	private record RunScope(long runId, long jobExecutionId, RunMode mode, boolean watchStatus,
			ExecutionContext stepContext, Sweep sweep) {
	}

	/** A pointer the report lists, with what happened to it. */
	private record Finding(PointerVerdict source, Outcome outcome) {
	}

}
