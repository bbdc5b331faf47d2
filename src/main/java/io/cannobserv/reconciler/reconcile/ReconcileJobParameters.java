package io.cannobserv.reconciler.reconcile;

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

	static final String PARTITION = "partition";

	static final String PARTITIONS = "partitions";

	private ReconcileJobParameters() {
	}

	static JobParameters newRun(RunMode mode, int partition, int partitions) {
		return new JobParametersBuilder().addString(MODE, mode.label())
			.addLong(PARTITION, (long) partition)
			.addLong(PARTITIONS, (long) partitions)
			.addString(RUN_KEY, Instant.now().toString())
			.toJobParameters();
	}

	/** Whether {@code parameters} are those of a run of this mode over this partition. */
	static boolean sameScope(JobParameters parameters, RunMode mode, int partition, int partitions) {
		Long runPartition = parameters.getLong(PARTITION);
		Long runPartitions = parameters.getLong(PARTITIONS);
		return modeOf(parameters) == mode && runPartition != null && runPartition == partition
				&& runPartitions != null && runPartitions == partitions;
	}

	static RunMode modeOf(JobParameters parameters) {
		return RunMode.fromLabel(parameters.getString(MODE));
	}

}
