package io.cannobserv.reconciler.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * Which run a launch resumes: the latest run of the same identity (mode, partition,
 * table), if it did not complete. A completed or abandoned latest run means a new run.
 * Runs are found by their identifying job parameters, in one query, however many runs of
 * other identities came after them.
 */
@Component
public class ResumePolicy {

	private final JobRepository jobRepository;

	private final NamedParameterJdbcTemplate jdbc;

	private final String latestRuns;

	private final String latestOfEveryIdentity;

	private final String table;

	ResumePolicy(JobRepository jobRepository, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			ArchiverTable table) {
		this.jobRepository = jobRepository;
		this.jdbc = jdbc;
		this.latestRuns = latestRuns(jobSchema);
		this.latestOfEveryIdentity = latestOfEveryIdentity(jobSchema);
		this.table = table.identity();
	}

	/**
	 * The latest run of each partition of {@code :mode} on {@code :table}, by partition.
	 */
	private static String latestRuns(JobSchema jobSchema) {
		return "SELECT DISTINCT ON (partitions, partition) job_instance_id FROM " + runs(jobSchema)
				+ " WHERE mode = :mode AND archiver_table = :table AND %s"
				+ " ORDER BY partitions, partition, job_instance_id DESC";
	}

	/** The latest run of every identity on {@code :table}. */
	private static String latestOfEveryIdentity(JobSchema jobSchema) {
		return "SELECT DISTINCT ON (mode, partitions, partition) job_instance_id FROM " + runs(jobSchema)
				+ " WHERE archiver_table = :table ORDER BY mode, partitions, partition, job_instance_id DESC";
	}

	/**
	 * Every run of the job with its identity. A parameter missing from a run started by
	 * an earlier release reads as {@link RunIdentity#of} reads it.
	 */
	private static String runs(JobSchema jobSchema) {
		return "(SELECT i.job_instance_id, " + parameter(RunIdentity.MODE, "NULL") + " AS mode, "
				+ parameter(RunIdentity.PARTITION, "'0'") + " AS partition, " + parameter(RunIdentity.PARTITIONS, "'1'")
				+ " AS partitions, " + parameter(RunIdentity.TABLE, ":olderRunsTable") + " AS archiver_table FROM "
				+ jobSchema.table("batch_job_instance") + " i JOIN " + jobSchema.table("batch_job_execution")
				+ " e ON e.job_instance_id = i.job_instance_id JOIN " + jobSchema.table("batch_job_execution_params")
				+ " p ON p.job_execution_id = e.job_execution_id WHERE i.job_name = :jobName AND p.identifying = 'Y'"
				+ " GROUP BY i.job_instance_id) runs";
	}

	private static String parameter(String name, String otherwise) {
		return "coalesce(max(p.parameter_value) FILTER (WHERE p.parameter_name = '" + name + "'), " + otherwise + ")";
	}

	/** The last execution of the run to resume, or empty to start a new run. */
	Optional<JobExecution> unfinished(RunIdentity identity) {
		return unfinishedLatest(identity, "partition = :partition AND partitions = :partitions").stream().findFirst();
	}

	/**
	 * The last executions of the unfinished runs of the same mode and table that split
	 * the pointers otherwise (another number of partitions): the latest run of each of
	 * their partitions, if it did not complete.
	 */
	List<JobExecution> unfinishedOtherwiseSplit(RunIdentity identity) {
		return unfinishedLatest(identity, "partitions <> :partitions");
	}

	private List<JobExecution> unfinishedLatest(RunIdentity identity, String condition) {
		Map<String, Object> parameters = Map.of("jobName", ReconcileJobConfiguration.JOB_NAME, "mode",
				identity.mode().label(), "table", identity.table(), "olderRunsTable", this.table, "partition",
				String.valueOf(identity.partition()), "partitions", String.valueOf(identity.partitions()));
		return this.jdbc
			.queryForList(String.format(this.latestRuns, condition), new MapSqlParameterSource(parameters), Long.class)
			.stream()
			.map(this.jobRepository::getJobInstance)
			.filter(Objects::nonNull)
			.map((JobInstance run) -> this.jobRepository.getLastJobExecution(run))
			.filter((last) -> last != null && resumable(last.getStatus()))
			.toList();
	}

	/** The name of the job whose instances are runs. */
	public static String jobName() {
		return ReconcileJobConfiguration.JOB_NAME;
	}

	/**
	 * The latest run of every identity (mode, partition, partitions) on the configured
	 * table, whatever its status: the run from which the next launch of that identity
	 * decides whether to resume or to start a new run. While it stays the latest, that
	 * decision does not change, whatever older runs are deleted.
	 */
	public List<LatestRun> latestOfEveryIdentity() {
		Map<String, Object> parameters = Map.of("jobName", ReconcileJobConfiguration.JOB_NAME, "table", this.table,
				"olderRunsTable", this.table);
		return this.jdbc.queryForList(this.latestOfEveryIdentity, new MapSqlParameterSource(parameters), Long.class)
			.stream()
			.map(this.jobRepository::getJobInstance)
			.filter(Objects::nonNull)
			.map((JobInstance run) -> this.jobRepository.getLastJobExecution(run))
			.filter(Objects::nonNull)
			.map((JobExecution last) -> new LatestRun(last.getJobInstance().getInstanceId(),
					RunIdentity.of(last.getJobParameters(), this.table), last.getStatus(), resumable(last.getStatus())))
			.toList();
	}

	private static boolean resumable(BatchStatus status) {
		return status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status.isRunning()
				|| status == BatchStatus.UNKNOWN;
	}

	/**
	 * The latest run of an identity.
	 *
	 * @param runId the run (job instance) id
	 * @param identity its mode, partition and table
	 * @param status the status of its last execution
	 * @param resumes whether the next launch of its identity resumes it
	 */
	public record LatestRun(long runId, RunIdentity identity, BatchStatus status, boolean resumes) {
	}

}
