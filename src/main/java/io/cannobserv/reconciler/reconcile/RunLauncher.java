package io.cannobserv.reconciler.reconcile;

import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;

/**
 * Launches a reconcile run under the run lock: resumes the run the {@link ResumePolicy}
 * names from its last committed chunk, after repairing what a dead process left behind,
 * or starts a new one.
 */
@Component
class RunLauncher {

	private static final Logger logger = LoggerFactory.getLogger(RunLauncher.class);

	private final ResumePolicy resumePolicy;

	private final RunLocks runLocks;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	private final ReconcilerProperties properties;

	private final String table;

	RunLauncher(ResumePolicy resumePolicy, RunLocks runLocks, JobOperator jobOperator, JobRepository jobRepository,
			Job watcherLinkReconcileJob, ReconcilerProperties properties, ArchiverTable table) {
		this.resumePolicy = resumePolicy;
		this.runLocks = runLocks;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.job = watcherLinkReconcileJob;
		this.properties = properties;
		this.table = table.identity();
	}

	/**
	 * Run this process's run (its partition, on the configured table) to the end of this
	 * execution.
	 * @param mode dry run or apply
	 * @param fresh abandon an unfinished run of this identity, or of the same mode and
	 * table split otherwise, and start a new one
	 * @return the execution, ended
	 * @throws CommandRefusedException when a run of the same mode and table split
	 * otherwise is unfinished, without {@code fresh}
	 */
	JobExecution launch(RunMode mode, boolean fresh) throws Exception {
		RunIdentity identity = new RunIdentity(mode, this.properties.partition(), this.properties.partitions(),
				this.table);
		for (JobExecution other : this.resumePolicy.unfinishedOtherwiseSplit(identity)) {
			abandonOtherwiseSplit(other, identity, fresh);
		}
		Optional<JobExecution> unfinished = this.resumePolicy.unfinished(identity);
		if (unfinished.isPresent()) {
			JobExecution execution = settled(unfinished.get());
			long runId = execution.getJobInstance().getInstanceId();
			if (fresh) {
				logger.warn("Abandoning unfinished run {} ({}) as asked by --fresh", runId, execution.getStatus());
				this.jobOperator.abandon(execution);
			}
			else {
				logger.info("Resuming run {} ({}) from its last committed chunk", runId, identity.mode().label());
				return this.jobOperator.restart(execution);
			}
		}
		// the job's listeners log its start and end (RunLogContext)
		return this.jobOperator.start(this.job, identity.newRun());
	}

	/**
	 * A run that splits the pointers otherwise would have them checked twice, or some not
	 * at all: refused, unless --fresh abandons it.
	 * @throws CommandRefusedException exit 2 without --fresh; exit 4 when a process still
	 * runs it
	 */
	private void abandonOtherwiseSplit(JobExecution execution, RunIdentity identity, boolean fresh)
			throws JobExecutionAlreadyRunningException {
		RunIdentity other = RunIdentity.of(execution.getJobParameters(), this.table);
		long runId = execution.getJobInstance().getInstanceId();
		if (!fresh) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED,
					String.format(Locale.ROOT,
							"Run %d (%s, partition %d of %d) is unfinished and splits the pointers otherwise than this "
									+ "process (partition %d of %d): resume it with --partition=%d --partitions=%d, or "
									+ "abandon it and start afresh with --fresh",
							runId, other.mode().label(), other.partition(), other.partitions(), identity.partition(),
							identity.partitions(), other.partition(), other.partitions()));
		}
		JobExecution last;
		if (execution.getStatus().isRunning()) {
			// marked running: abandoned only if its lock shows that its process is gone
			try (RunLock lock = this.runLocks.reconcile(other.partition(), other.partitions())) {
				last = settled(execution);
			}
		}
		else {
			last = settled(execution);
		}
		logger.warn("Abandoning unfinished run {} (partition {} of {}) as asked by --fresh", runId, other.partition(),
				other.partitions());
		this.jobOperator.abandon(last);
	}

	/**
	 * The execution, ready to be restarted or abandoned: marked failed if its process
	 * died (the caller holds its lock) or the database failed under it.
	 */
	private JobExecution settled(JobExecution execution) {
		long runId = execution.getJobInstance().getInstanceId();
		JobExecution settled = execution;
		if (settled.getStatus().isRunning()) {
			// its lock is held here, so the process that left it running is gone
			// (SIGKILL, OOM, eviction)
			logger.warn("Run {} was left {} by a process that died; marking it failed so it can resume", runId,
					settled.getStatus());
			settled = this.jobOperator.recover(settled);
		}
		if (endedUnknown(settled)) {
			// Spring Batch ends a run UNKNOWN, and will not restart it, when a chunk's
			// rollback or the step's last metadata write fails, as when the database
			// goes away mid-chunk; a connection lost at a chunk's commit also leaves
			// the step marked STARTED. Each chunk commits its clears, audit rows,
			// position and counts in one transaction: the last commit is exact
			logger.warn("Run {} ended UNKNOWN (the database failed under a chunk); marking it failed so it can "
					+ "resume from its last committed chunk", runId);
			settled = markFailed(settled);
		}
		return settled;
	}

	private static boolean endedUnknown(JobExecution execution) {
		return execution.getStatus() == BatchStatus.UNKNOWN
				|| execution.getStepExecutions().stream().anyMatch(RunLauncher::leftUnknown);
	}

	/** A step whose end was not recorded: its execution ended, and we hold its lock. */
	private static boolean leftUnknown(StepExecution step) {
		return step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning();
	}

	private JobExecution markFailed(JobExecution execution) {
		for (StepExecution step : execution.getStepExecutions()) {
			if (leftUnknown(step)) {
				step.setStatus(BatchStatus.FAILED);
				this.jobRepository.update(step);
			}
		}
		execution.setStatus(BatchStatus.FAILED);
		this.jobRepository.update(execution);
		return execution;
	}

}
