package io.cannobserv.reconciler.run;

import java.time.Instant;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Which pointers a run reconciles and how: its identifying job parameters. An unfinished
 * run is resumed only by a process of the same identity, and {@code restore} undoes a run
 * only on the table it reconciled.
 *
 * @param mode dry run or apply
 * @param partition the share of the pointers it checks, from 0
 * @param partitions how many shares the pointers are split into
 * @param table the table and columns it reconciles, as {@code ArchiverTable.identity()}
 * names them
 */
public record RunIdentity(RunMode mode, int partition, int partitions, String table) {

	/** Job parameter: the {@link RunMode#label() mode's label}. */
	public static final String MODE = "mode";

	/** Job parameter: the partition, from 0. */
	public static final String PARTITION = "partition";

	/** Job parameter: how many partitions. */
	public static final String PARTITIONS = "partitions";

	/** Job parameter: the table and columns reconciled. */
	public static final String TABLE = "table";

	/**
	 * Job parameter: when the run was started, which makes each new run a new job
	 * instance.
	 */
	public static final String RUN_KEY = "runKey";

	/**
	 * The parameters of a new run of this identity; a resumed run keeps those it started
	 * with.
	 */
	public JobParameters newRun() {
		return new JobParametersBuilder().addString(MODE, this.mode.label())
			.addLong(PARTITION, (long) this.partition)
			.addLong(PARTITIONS, (long) this.partitions)
			.addString(TABLE, this.table)
			.addString(RUN_KEY, Instant.now().toString())
			.toJobParameters();
	}

	/**
	 * The identity of the run that {@code parameters} started.
	 * @param parameters a run's job parameters
	 * @param tableOfOlderRuns the table of a run started before the table was part of a
	 * run's identity (the table configured now: the run history is backfilled with it
	 * too)
	 */
	public static RunIdentity of(JobParameters parameters, String tableOfOlderRuns) {
		Long partition = parameters.getLong(PARTITION);
		Long partitions = parameters.getLong(PARTITIONS);
		String table = parameters.getString(TABLE);
		return new RunIdentity(RunMode.fromLabel(String.valueOf(parameters.getString(MODE))),
				(partition != null) ? partition.intValue() : 0, (partitions != null) ? partitions.intValue() : 1,
				(table != null) ? table : tableOfOlderRuns);
	}

	public boolean partitioned() {
		return this.partitions > 1;
	}

}
