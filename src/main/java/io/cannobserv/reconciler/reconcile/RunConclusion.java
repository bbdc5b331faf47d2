package io.cannobserv.reconciler.reconcile;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.ExitCode;
import io.cannobserv.reconciler.Failures;
import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.guard.SafetyBrakeException;
import io.cannobserv.reconciler.guard.SafetyBrakeProperties;
import io.cannobserv.reconciler.report.RunEnded;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.report.RunReports;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunIdentity;

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

	RunConclusion(JobRepository jobRepository, RunReports runReports, SafetyBrake safetyBrake, ArchiverTable table,
			ReconcilerProperties properties) {
		this.jobRepository = jobRepository;
		this.runReports = runReports;
		this.safetyBrake = safetyBrake;
		this.table = table.identity();
		this.properties = properties;
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
		RunReport report = this.runReports.assemble(execution, RunIdentity.of(execution.getJobParameters(), this.table),
				exitCode.code(), firstStart, executions.size(), committedCounts(execution.getJobInstance()),
				brakeOf(execution, exitCode), this.properties.strategy(), this.properties.relink(),
				lastSnapshot(executions));
		return new RunEnded(report, exitCode, execution.getId());
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
		return executions.stream()
			.sorted(Comparator.comparing(JobExecution::getId).reversed())
			.flatMap((execution) -> execution.getStepExecutions().stream())
			.filter((step) -> step.getStepName().equals(ReconcileJobConfiguration.SNAPSHOT_STEP_NAME))
			.map((step) -> SnapshotTasklet.recorded(step.getExecutionContext()))
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

	private RunReport.Brake brakeOf(JobExecution execution, ExitCode exitCode) {
		SafetyBrakeProperties limits = this.safetyBrake.properties();
		BrakeState state = BrakeState.CLEAR;
		String message = null;
		if (exitCode == ExitCode.BRAKE) {
			state = BrakeState.TRIPPED;
			// the trip's own message, whole: the run's failure message is cut at 300
			// characters,
			// which can drop the override instruction
			message = brakeTrip(execution).map((trip) -> trip.trip().message()).orElse(RunReports.failureOf(execution));
		}
		else {
			// the run's first finding, from each step's last execution: a resumed run
			// does not run again a first pass that completed
			for (String name : ReconcileJobConfiguration.STEP_NAMES) {
				StepExecution step = this.jobRepository.getLastStepExecution(execution.getJobInstance(), name);
				if (step != null && step.getExecutionContext().containsKey(StalePointerWriter.BRAKE_WOULD_TRIP)) {
					state = BrakeState.WOULD_TRIP;
					message = step.getExecutionContext().getString(StalePointerWriter.BRAKE_WOULD_TRIP);
					break;
				}
			}
		}
		return new RunReport.Brake(state, message, limits.maxClearFraction(), limits.minSample(), limits.maxClears());
	}

}
