package io.cannobserv.reconciler.reconcile;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.guard.SafetyBrake.BrakeTrip;
import io.cannobserv.reconciler.guard.SafetyBrakeException;
import io.cannobserv.reconciler.guard.SafetyBrakeProperties;
import io.cannobserv.reconciler.report.RunEnded;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.report.RunReports;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * What an ended execution amounts to for its run: the exit code, the counts every
 * execution committed, the brake's state, and the report of it all.
 */
@Component
class RunConclusion {

	private final JobRepository jobRepository;

	private final RunReports runReports;

	private final SafetyBrake safetyBrake;

	private final String table;

	private final ReconcilerProperties properties;

	private final HaltedChunks haltedChunks;

	private final WatcherClient watcherClient;

	RunConclusion(JobRepository jobRepository, RunReports runReports, SafetyBrake safetyBrake, ArchiverTable table,
			ReconcilerProperties properties, HaltedChunks haltedChunks, WatcherClient watcherClient) {
		this.jobRepository = jobRepository;
		this.runReports = runReports;
		this.safetyBrake = safetyBrake;
		this.table = table.identity();
		this.properties = properties;
		this.haltedChunks = haltedChunks;
		this.watcherClient = watcherClient;
	}

	/** The end of the run that {@code execution} belongs to, as committed. */
	RunEnded conclude(JobExecution execution) {
		ExitCode exitCode = exitCodeOf(execution);
		List<JobExecution> executions = this.jobRepository.getJobExecutions(execution.getJobInstance());
		@Nullable LocalDateTime firstStart = executions.stream()
			.map(JobExecution::getStartTime)
			.filter(Objects::nonNull)
			.min(LocalDateTime::compareTo)
			.orElse(execution.getStartTime());
		// a halted chunk is counted as judged, its gone pointers as would clear: the
		// verdicts add up to what was checked, and the operator sees what the brake
		// stopped
		RunCounts counts = committedCounts(execution.getJobInstance());
		Optional<HaltedChunks.Halt> halt = (exitCode == ExitCode.BRAKE) ? this.haltedChunks.find(execution.getId())
				: Optional.empty();
		if (halt.isPresent()) {
			counts = counts.plus(halt.get().counts());
		}
		StrategyChoice strategy = StrategyChoice.ofRun(executions, this.properties.strategy());
		RunReport report = this.runReports.assemble(execution, RunIdentity.of(execution.getJobParameters(), this.table),
				exitCode.code(), exitMessage(execution, exitCode), firstStart, worked(executions), executions.size(),
				counts, brakeOf(execution, exitCode, halt.map(HaltedChunks.Halt::pointers).orElse(0L), counts),
				strategy.strategy(), strategy.reason(), this.properties.relink(), lastSnapshot(executions),
				this.watcherClient.requestsInFlight());
		return new RunEnded(report, exitCode, execution.getId());
	}

	/**
	 * Why the run stopped, when it did not complete: for a halt, the limits the brake saw
	 * passed (never the name of the exception that carried them).
	 */
	private static @Nullable String exitMessage(JobExecution execution, ExitCode exitCode) {
		if (exitCode == ExitCode.BRAKE) {
			return brakeTrip(execution).map((trip) -> "halted by the safety brake: " + trip.trip().message())
				.orElse(RunReports.failureOf(execution));
		}
		return RunReports.failureOf(execution);
	}

	/**
	 * How long the run's executions worked, together; pauses between them do not count.
	 */
	private static long worked(List<JobExecution> executions) {
		return executions.stream()
			.filter((run) -> run.getStartTime() != null && run.getEndTime() != null)
			.mapToLong((run) -> Duration.between(run.getStartTime(), run.getEndTime()).toMillis())
			.sum();
	}

	private static ExitCode exitCodeOf(JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return ExitCode.COMPLETED;
		}
		return brakeTrip(execution).isPresent() ? ExitCode.BRAKE : ExitCode.RESUMABLE;
	}

	/**
	 * The snapshot the run's first pass took last: a later execution that found the first
	 * pass complete took none.
	 */
	private static RunReport.@Nullable Snapshot lastSnapshot(List<JobExecution> executions) {
		return SnapshotTasklet.recordedNewestFirst(executions)
			.map(SnapshotTasklet::recorded)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static Optional<SafetyBrakeException> brakeTrip(JobExecution execution) {
		return execution.getAllFailureExceptions()
			.stream()
			.flatMap((failure) -> Failures.find(failure, SafetyBrakeException.class).stream())
			.findFirst();
	}

	/**
	 * The run's counts: each step's last execution holds what that step committed, across
	 * resumes (a completed first pass is not re-run, so it is not in a later execution).
	 */
	private RunCounts committedCounts(JobInstance run) {
		RunCounts counts = RunCounts.ZERO;
		for (String step : ReconcileJobConfiguration.STEP_NAMES) {
			StepExecution last = this.jobRepository.getLastStepExecution(run, step);
			if (last != null) {
				counts = counts.plus(VerdictTally.countsIn(last.getExecutionContext()));
			}
		}
		return counts;
	}

	private RunReport.Brake brakeOf(JobExecution execution, ExitCode exitCode, long notWritten, RunCounts counts) {
		SafetyBrakeProperties limits = this.safetyBrake.properties();
		if (exitCode == ExitCode.BRAKE) {
			Optional<BrakeTrip> trip = brakeTrip(execution).map(SafetyBrakeException::trip);
			return new RunReport.Brake(BrakeState.TRIPPED, trip.map(BrakeTrip::limit).orElse(null),
					trip.map(BrakeTrip::message).orElse(RunReports.failureOf(execution)),
					trip.map(BrakeTrip::override).orElse(null), notWritten, limits.maxClearFraction(),
					limits.minSample(), limits.maxClears());
		}
		// the run's first finding, from each step's last execution: a resumed run does
		// not run again a first pass that completed; the override must let every chunk
		// of both passes through
		String message = null;
		String limit = null;
		Long maxClears = null;
		BigDecimal fraction = null;
		for (String name : ReconcileJobConfiguration.STEP_NAMES) {
			StepExecution step = this.jobRepository.getLastStepExecution(execution.getJobInstance(), name);
			if (step == null || !step.getExecutionContext().containsKey(StalePointerWriter.BRAKE_WOULD_TRIP)) {
				continue;
			}
			ExecutionContext context = step.getExecutionContext();
			if (message == null) {
				message = context.getString(StalePointerWriter.BRAKE_WOULD_TRIP);
				limit = context.containsKey(StalePointerWriter.BRAKE_WOULD_TRIP_LIMIT)
						? context.getString(StalePointerWriter.BRAKE_WOULD_TRIP_LIMIT) : null;
			}
			if (context.containsKey(StalePointerWriter.BRAKE_WOULD_TRIP_MAX_CLEARS)) {
				long needed = context.getLong(StalePointerWriter.BRAKE_WOULD_TRIP_MAX_CLEARS);
				maxClears = (maxClears != null) ? Math.max(maxClears, needed) : needed;
			}
			if (context.containsKey(StalePointerWriter.BRAKE_WOULD_TRIP_FRACTION)) {
				BigDecimal needed = new BigDecimal(context.getString(StalePointerWriter.BRAKE_WOULD_TRIP_FRACTION));
				fraction = (fraction != null) ? fraction.max(needed) : needed;
			}
		}
		if (message == null) {
			return new RunReport.Brake(BrakeState.CLEAR, null, null, null, 0, limits.maxClearFraction(),
					limits.minSample(), limits.maxClears());
		}
		String override = (maxClears != null || fraction != null) ? SafetyBrake.override(maxClears, fraction) : null;
		return new RunReport.Brake(BrakeState.WOULD_TRIP, limit, message, override, 0, limits.maxClearFraction(),
				limits.minSample(), limits.maxClears());
	}

}
