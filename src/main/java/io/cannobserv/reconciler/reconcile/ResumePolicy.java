package io.cannobserv.reconciler.reconcile;

import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.run.RunIdentity;

/**
 * Which run a launch resumes: the latest run of the same identity (mode, partition,
 * table), if it did not complete. A completed or abandoned latest run means a new run.
 */
@Component
class ResumePolicy {

	/** How far back to look for an unfinished run of the same identity. */
	private static final int RECENT_RUNS = 20;

	private final JobRepository jobRepository;

	private final String table;

	ResumePolicy(JobRepository jobRepository, ArchiverTable table) {
		this.jobRepository = jobRepository;
		this.table = table.identity();
	}

	/** The last execution of the run to resume, or empty to start a new run. */
	Optional<JobExecution> unfinished(RunIdentity identity) {
		List<JobInstance> instances = this.jobRepository.getJobInstances(ReconcileJobConfiguration.JOB_NAME, 0,
				RECENT_RUNS);
		for (JobInstance instance : instances) {
			JobExecution last = this.jobRepository.getLastJobExecution(instance);
			if (last == null || !RunIdentity.of(last.getJobParameters(), this.table).equals(identity)) {
				continue;
			}
			return resumable(last.getStatus()) ? Optional.of(last) : Optional.empty();
		}
		return Optional.empty();
	}

	private static boolean resumable(BatchStatus status) {
		return status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status.isRunning()
				|| status == BatchStatus.UNKNOWN;
	}

}
