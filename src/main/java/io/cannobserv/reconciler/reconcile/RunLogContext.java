package io.cannobserv.reconciler.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.guard.SafetyBrakeException;
import io.cannobserv.reconciler.run.RunIdentity;

/**
 * Puts what a run is in every log line it writes (the MDC, which structured logs carry as
 * fields): its kind, from the start of the command ({@link #open}), and its id, from the
 * start of the job; lookup threads copy them from the step thread. They stay until the
 * report is written: {@link ReconcileCommand} clears them. The job's start and end are a
 * line each.
 */
class RunLogContext implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(RunLogContext.class);

	/** Field: the run (job instance) id. */
	static final String RUN_ID = "runId";

	/** Field: {@code apply} or {@code dry-run}. */
	static final String MODE = "mode";

	/** Field: the Archiver table and columns, as a run's identity names them. */
	static final String TABLE = "table";

	/** Field: the partition, from 0. */
	static final String PARTITION = "partition";

	/** Field: how many partitions. */
	static final String PARTITIONS = "partitions";

	/**
	 * Puts the kind of run in the MDC of this thread; the run id follows when the job
	 * starts.
	 */
	static void open(RunIdentity identity) {
		MDC.put(MODE, identity.mode().label());
		MDC.put(TABLE, identity.table());
		MDC.put(PARTITION, String.valueOf(identity.partition()));
		MDC.put(PARTITIONS, String.valueOf(identity.partitions()));
	}

	/** Takes what {@link #open} and the job put out of the MDC of this thread. */
	static void close() {
		for (String field : new String[] { RUN_ID, MODE, TABLE, PARTITION, PARTITIONS }) {
			MDC.remove(field);
		}
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		long runId = jobExecution.getJobInstance().getInstanceId();
		MDC.put(RUN_ID, String.valueOf(runId));
		RunIdentity identity = RunIdentity.of(jobExecution.getJobParameters(), String.valueOf(MDC.get(TABLE)));
		logger.atInfo()
			.setMessage("Run {} ({}, partition {} of {}) on {}: execution {} started")
			.addArgument(runId)
			.addArgument(identity.mode().label())
			.addArgument(identity.partition())
			.addArgument(identity.partitions())
			.addArgument(identity.table())
			.addArgument(jobExecution.getId())
			.addKeyValue("jobExecutionId", jobExecution.getId())
			.log();
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		if (halted(jobExecution)) {
			// the brake's own WARN line says so: "ended FAILED" would read as a crash
			return;
		}
		logger.atInfo()
			.setMessage("Run {} ({}) ended {}")
			.addArgument(jobExecution.getJobInstance().getInstanceId())
			.addArgument(jobExecution.getJobParameters().getString(RunIdentity.MODE))
			.addArgument(jobExecution.getStatus())
			.addKeyValue("jobExecutionId", jobExecution.getId())
			.addKeyValue("status", jobExecution.getStatus().name())
			.log();
	}

	private static boolean halted(JobExecution execution) {
		return execution.getAllFailureExceptions()
			.stream()
			.anyMatch((failure) -> Failures.find(failure, SafetyBrakeException.class).isPresent());
	}

}
