package io.cannobserv.reconciler.reconcile;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.archiver.ArchiverTable;
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

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	private final ReconcilerProperties properties;

	private final String table;

	RunLauncher(ResumePolicy resumePolicy, JobOperator jobOperator, JobRepository jobRepository,
			Job watcherLinkReconcileJob, ReconcilerProperties properties, ArchiverTable table) {
		this.resumePolicy = resumePolicy;
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
	 * @param fresh abandon an unfinished run of this identity and start a new one
	 * @return the execution, ended
	 */
	JobExecution launch(RunMode mode, boolean fresh) throws Exception {
		RunIdentity identity = new RunIdentity(mode, this.properties.partition(), this.properties.partitions(),
				this.table);
		Optional<JobExecution> unfinished = this.resumePolicy.unfinished(identity);
		if (unfinished.isPresent()) {
			JobExecution execution = unfinished.get();
			long runId = execution.getJobInstance().getInstanceId();
			if (execution.getStatus().isRunning()) {
				// we hold the lock, so the process that left it running is gone (SIGKILL,
				// OOM, eviction)
				logger.warn("Run {} was left {} by a process that died; marking it failed so it can resume", runId,
						execution.getStatus());
				execution = this.jobOperator.recover(execution);
			}
			if (endedUnknown(execution)) {
				// Spring Batch ends a run UNKNOWN, and will not restart it, when a
				// chunk's rollback or the step's
				// last metadata write fails, as when the database goes away mid-chunk.
				// Each chunk commits its
				// clears, audit rows and reader position in one transaction, so the last
				// committed chunk is exact
				logger.warn("Run {} ended UNKNOWN (the database failed under a chunk); marking it failed so it can "
						+ "resume from its last committed chunk", runId);
				execution = markFailed(execution);
			}
			if (fresh) {
				logger.warn("Abandoning unfinished run {} ({}) as asked by --fresh", runId, execution.getStatus());
				this.jobOperator.abandon(execution);
			}
			else {
				logger.info("Resuming run {} ({}) from its last committed chunk", runId, identity.mode().label());
				return this.jobOperator.restart(execution);
			}
		}
		JobExecution execution = this.jobOperator.start(this.job, identity.newRun());
		logger.info("Run {} ({}) ended {}", execution.getJobInstance().getInstanceId(), identity.mode().label(),
				execution.getStatus());
		return execution;
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

}
