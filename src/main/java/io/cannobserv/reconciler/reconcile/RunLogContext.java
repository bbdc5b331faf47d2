package io.cannobserv.reconciler.reconcile;

import org.slf4j.MDC;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Puts the run id in every log line of a run (the MDC, which structured logs carry as a
 * field); lookup threads copy it from the step thread. It stays until the report is
 * written: {@link ReconcileCommand} clears it.
 */
class RunLogContext implements JobExecutionListener {

	static final String RUN_ID = "runId";

	@Override
	public void beforeJob(JobExecution jobExecution) {
		MDC.put(RUN_ID, String.valueOf(jobExecution.getJobInstance().getInstanceId()));
	}

}
