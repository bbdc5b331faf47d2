package io.cannobserv.reconciler.pointer;

import java.time.Instant;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The identifying parameters of a reconcile run. A new run gets a new run key; a resumed
 * run keeps its parameters, so it is the same job instance.
 */
final class ReconcileJobParameters {

	static final String MODE = "mode";

	static final String RUN_KEY = "runKey";

	private ReconcileJobParameters() {
	}

	static JobParameters newRun(RunMode mode) {
		return new JobParametersBuilder().addString(MODE, mode.label())
			.addString(RUN_KEY, Instant.now().toString())
			.toJobParameters();
	}

	static RunMode modeOf(JobParameters parameters) {
		return RunMode.fromLabel(parameters.getString(MODE));
	}

}
