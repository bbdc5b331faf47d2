package io.cannobserv.reconciler.reconcile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.CommandRefusedException;
import io.cannobserv.reconciler.ExitCode;
import io.cannobserv.reconciler.Failures;
import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.guard.Preflight;
import io.cannobserv.reconciler.guard.PreflightException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.guard.SafetyBrakeException;
import io.cannobserv.reconciler.guard.SafetyBrakeProperties;
import io.cannobserv.reconciler.metrics.RunMetrics;
import io.cannobserv.reconciler.report.RunCounts;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.report.RunReports;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * {@code reconcile}: preflight, then under the run lock either resume the last unfinished
 * run of the same mode from its last committed chunk or start a new one, then report.
 */
@Component
public class ReconcileCommand implements Command {

	private static final Logger logger = LoggerFactory.getLogger(ReconcileCommand.class);

	/** How far back to look for an unfinished run of the same mode. */
	private static final int RECENT_RUNS = 20;

	private final Preflight preflight;

	private final JobSchema jobSchema;

	private final DataSource dataSource;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	private final RunReports runReports;

	private final ReconcilerProperties properties;

	private final SafetyBrake safetyBrake;

	private final RunMetrics runMetrics;

	ReconcileCommand(Preflight preflight, JobSchema jobSchema, DataSource dataSource, JobOperator jobOperator,
			JobRepository jobRepository, Job watcherLinkReconcileJob, RunReports runReports,
			ReconcilerProperties properties, SafetyBrake safetyBrake, RunMetrics runMetrics) {
		this.preflight = preflight;
		this.jobSchema = jobSchema;
		this.dataSource = dataSource;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.job = watcherLinkReconcileJob;
		this.runReports = runReports;
		this.properties = properties;
		this.safetyBrake = safetyBrake;
		this.runMetrics = runMetrics;
	}

	@Override
	public String name() {
		return "reconcile";
	}

	@Override
	public ExitCode run(CommandLine commandLine, PrintStream out) throws Exception {
		return run(commandLine.apply() ? RunMode.APPLY : RunMode.DRY_RUN, commandLine.fresh(), out);
	}

	/**
	 * Run the command.
	 * @param mode dry run or apply
	 * @param fresh abandon an unfinished run of this mode and start a new one
	 * @param out where the summary goes
	 * @return the exit code
	 * @throws CommandRefusedException when the run cannot start; nothing was read or written
	 */
	public ExitCode run(RunMode mode, boolean fresh, PrintStream out) throws Exception {
		// the lock first: a second process leaves at once, having asked nothing of anyone
		try (RunLock lock = lock()) {
			try {
				this.preflight.check();
			}
			catch (PreflightException ex) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED, ex.getMessage());
			}
			this.jobSchema.migrate();
			JobExecution execution = launch(mode, fresh);
			ExitCode exitCode = exitCodeOf(execution);
			report(execution, mode, exitCode, out);
			return exitCode;
		}
		finally {
			MDC.remove(RunLogContext.RUN_ID);
		}
	}

	private static ExitCode exitCodeOf(JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return ExitCode.COMPLETED;
		}
		return brakeTrip(execution).isPresent() ? ExitCode.BRAKE : ExitCode.RESUMABLE;
	}

	private static Optional<SafetyBrakeException> brakeTrip(JobExecution execution) {
		return execution.getAllFailureExceptions()
			.stream()
			.flatMap((failure) -> Failures.find(failure, SafetyBrakeException.class).stream())
			.findFirst();
	}

	private RunLock lock() {
		// one run at a time per partition: partitions of one registry run side by side
		String name = this.jobSchema.name() + ":" + ReconcileJobConfiguration.JOB_NAME
				+ (this.properties.partitioned() ? ":" + this.properties.partition() + "/" + this.properties.partitions()
						: "");
		Optional<RunLock> lock;
		try {
			lock = RunLock.tryAcquire(this.dataSource, name);
		}
		catch (SQLException ex) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED, "Cannot connect to the database: "
					+ Failures.rootMessage(ex)
					+ ": check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
		}
		return lock
			.orElseThrow(() -> new CommandRefusedException(ExitCode.LOCKED, "Another run holds the lock '" + name
					+ "' in this database; this process read and wrote nothing. Let that run finish, or check for a stuck process"));
	}

	private JobExecution launch(RunMode mode, boolean fresh) throws Exception {
		Optional<JobExecution> unfinished = lastUnfinished(mode);
		if (unfinished.isPresent()) {
			JobExecution execution = unfinished.get();
			long runId = execution.getJobInstance().getInstanceId();
			if (execution.getStatus().isRunning()) {
				// we hold the lock, so the process that left it running is gone (SIGKILL, OOM, eviction)
				logger.warn("Run {} was left {} by a process that died; marking it failed so it can resume", runId,
						execution.getStatus());
				execution = this.jobOperator.recover(execution);
			}
			if (endedUnknown(execution)) {
				// Spring Batch ends a run UNKNOWN, and will not restart it, when a chunk's rollback or the step's
				// last metadata write fails, as when the database goes away mid-chunk. Each chunk commits its
				// clears, audit rows and reader position in one transaction, so the last committed chunk is exact
				logger.warn("Run {} ended UNKNOWN (the database failed under a chunk); marking it failed so it can "
						+ "resume from its last committed chunk", runId);
				execution = markFailed(execution);
			}
			if (fresh) {
				logger.warn("Abandoning unfinished run {} ({}) as asked by --fresh", runId, execution.getStatus());
				this.jobOperator.abandon(execution);
			}
			else {
				logger.info("Resuming run {} ({}) from its last committed chunk", runId, mode.label());
				return this.jobOperator.restart(execution);
			}
		}
		JobExecution execution = this.jobOperator.start(this.job,
				ReconcileJobParameters.newRun(mode, this.properties.partition(), this.properties.partitions()));
		logger.info("Run {} ({}) ended {}", execution.getJobInstance().getInstanceId(), mode.label(),
				execution.getStatus());
		return execution;
	}

	private Optional<JobExecution> lastUnfinished(RunMode mode) {
		List<JobInstance> instances = this.jobRepository.getJobInstances(ReconcileJobConfiguration.JOB_NAME, 0,
				RECENT_RUNS);
		for (JobInstance instance : instances) {
			JobExecution last = this.jobRepository.getLastJobExecution(instance);
			if (last == null || !ReconcileJobParameters.sameScope(last.getJobParameters(), mode,
					this.properties.partition(), this.properties.partitions())) {
				continue;
			}
			BatchStatus status = last.getStatus();
			boolean resumable = status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status.isRunning()
					|| status == BatchStatus.UNKNOWN;
			return resumable ? Optional.of(last) : Optional.empty();
		}
		return Optional.empty();
	}

	private static boolean endedUnknown(JobExecution execution) {
		return execution.getStatus() == BatchStatus.UNKNOWN
				|| execution.getStepExecutions().stream().anyMatch((step) -> step.getStatus() == BatchStatus.UNKNOWN);
	}

	private JobExecution markFailed(JobExecution execution) {
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStatus() == BatchStatus.UNKNOWN) {
				step.setStatus(BatchStatus.FAILED);
				this.jobRepository.update(step);
			}
		}
		execution.setStatus(BatchStatus.FAILED);
		this.jobRepository.update(execution);
		return execution;
	}

	/**
	 * The run's counts: each step's last execution holds what that step committed, across
	 * resumes (a completed first pass is not re-run, so it is not in a later execution).
	 */
	private RunCounts committedCounts(JobInstance run) {
		RunCounts counts = RunCounts.ZERO;
		for (String step : List.of(ReconcileJobConfiguration.STEP_NAME,
				ReconcileJobConfiguration.RECHECK_STEP_NAME)) {
			StepExecution last = this.jobRepository.getLastStepExecution(run, step);
			if (last != null) {
				counts = counts.plus(RunCounts.from(last.getExecutionContext()));
			}
		}
		return counts;
	}

	private RunReport.Brake brakeOf(JobExecution execution, ExitCode exitCode) {
		SafetyBrakeProperties limits = this.safetyBrake.properties();
		String state = "clear";
		String message = null;
		if (exitCode == ExitCode.BRAKE) {
			state = "tripped";
			// the trip's own message, whole: the run's failure message is cut at 300 characters,
			// which can drop the override instruction
			message = brakeTrip(execution).map((trip) -> trip.trip().message())
				.orElse(RunReports.failureOf(execution));
		}
		else {
			for (StepExecution step : execution.getStepExecutions()) {
				if (step.getExecutionContext().containsKey(StalePointerWriter.BRAKE_WOULD_TRIP)) {
					state = "would-trip";
					message = step.getExecutionContext().getString(StalePointerWriter.BRAKE_WOULD_TRIP);
				}
			}
		}
		return new RunReport.Brake(state, message, limits.maxClearFraction(), limits.minSample(), limits.maxClears());
	}

	private void report(JobExecution execution, RunMode mode, ExitCode exitCode, PrintStream out) {
		List<JobExecution> executions = this.jobRepository.getJobExecutions(execution.getJobInstance());
		@Nullable LocalDateTime firstStart = executions.stream()
			.map(JobExecution::getStartTime)
			.filter(Objects::nonNull)
			.min(LocalDateTime::compareTo)
			.orElse(execution.getStartTime());
		RunReport report = this.runReports.assemble(execution, mode.label(), exitCode.code(), firstStart,
				executions.size(), committedCounts(execution.getJobInstance()), brakeOf(execution, exitCode));
		this.runReports.save(report, execution.getId());
		Path file = this.runReports.write(report);
		this.runReports.print(report, file, out);
		this.runMetrics.record(report);
	}

}
