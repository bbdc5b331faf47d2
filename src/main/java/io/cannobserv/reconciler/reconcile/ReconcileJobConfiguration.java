package io.cannobserv.reconciler.reconcile;

import java.util.List;
import java.util.Map;

import org.slf4j.MDC;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.guard.GracefulStop;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * The reconcile job: a chunk-oriented step that reads pointers by keyset pages, looks
 * them up in Watcher in parallel, and writes each chunk in one transaction together with
 * the reader's position and the counts; then a step that asks again, patiently, about the
 * pointers the first pass found transient. Each step's parts are beans of their own,
 * named for the step.
 */
@Configuration(proxyBeanMethods = false)
class ReconcileJobConfiguration {

	/**
	 * The job's name in the batch metadata: runs started by earlier releases resume under
	 * it.
	 */
	static final String JOB_NAME = "watcherLinkReconcileJob";

	static final String STEP_NAME = "classifyAndClearStep";

	static final String RECHECK_STEP_NAME = "recheckTransientStep";

	/** The steps, in the order they run. */
	static final List<String> STEP_NAMES = List.of(STEP_NAME, RECHECK_STEP_NAME);

	private static final int MAX_RECHECK_THREADS = 256;

	@Bean
	Job watcherLinkReconcileJob(JobRepository jobRepository, Step classifyAndClearStep, Step recheckTransientStep,
			GracefulStop gracefulStop) {
		return new JobBuilder(JOB_NAME, jobRepository).start(classifyAndClearStep)
			.next(recheckTransientStep)
			.listener(new RunLogContext())
			.listener(gracefulStop)
			.build();
	}

	@Bean
	Step classifyAndClearStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KeysetPointerReader pointerReader, WatcherPointerClassifier firstPassClassifier,
			StalePointerWriter firstPassWriter, VerdictTally firstPassTally, RunProgress runProgress,
			ThreadPoolTaskExecutor watcherLookupExecutor, ReconcilerProperties properties) {
		return new StepBuilder(STEP_NAME, jobRepository).<InfoItemPointer, PointerVerdict>chunk(properties.chunkSize())
			// the default is resourceless: the clears, the audit and the reader position
			// must share one
			.transactionManager(transactionManager)
			.reader(pointerReader)
			.processor(firstPassClassifier)
			.writer(firstPassWriter)
			.stream(firstPassTally)
			.listener(firstPassWriter)
			.listener(runProgress)
			// lookups fan out per chunk; reads and writes stay on the step thread, so
			// restart stays exact
			.taskExecutor(watcherLookupExecutor)
			.build();
	}

	/**
	 * The first pass's transient pointers, asked again with retries and backoff once
	 * every other pointer is settled: a Watcher blip during the run costs a recheck, not
	 * a skip.
	 */
	@Bean
	Step recheckTransientStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KeysetPointerReader transientPointerReader, WatcherPointerClassifier recheckClassifier,
			StalePointerWriter recheckWriter, VerdictTally recheckTally, ThreadPoolTaskExecutor watcherRecheckExecutor,
			ReconcilerProperties properties) {
		return new StepBuilder(RECHECK_STEP_NAME, jobRepository)
			.<InfoItemPointer, PointerVerdict>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(transientPointerReader)
			.processor(recheckClassifier)
			.writer(recheckWriter)
			.stream(recheckTally)
			.listener(recheckWriter)
			.taskExecutor(watcherRecheckExecutor)
			.build();
	}

	/**
	 * The pointers of this run's partition, by keyset on the InfoItem id. The page size
	 * equals the chunk size: one page query per chunk.
	 */
	@Bean
	@StepScope
	KeysetPointerReader pointerReader(PointerTable pointerTable, PlatformTransactionManager transactionManager,
			ReconcilerProperties properties, @Value("#{stepExecution}") StepExecution stepExecution) {
		RunIdentity identity = RunIdentity.of(stepExecution.getJobParameters(), pointerTable.table().identity());
		return new KeysetPointerReader("pointerReader", pointerTable.positionKey(),
				(afterId, limit) -> pointerTable.page(identity.partition(), identity.partitions(), afterId, limit),
				properties.chunkSize(), transactionManager);
	}

	/**
	 * The transient findings of this run, by keyset on the InfoItem id, as the first pass
	 * read them.
	 */
	@Bean
	@StepScope
	KeysetPointerReader transientPointerReader(NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			PlatformTransactionManager transactionManager, ReconcilerProperties properties,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		long runId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		String findings = jobSchema.table("pointer_finding");
		return new KeysetPointerReader("transientPointerReader", "info_item_id", (afterId, limit) -> {
			MapSqlParameterSource parameters = new MapSqlParameterSource("runId", runId)
				.addValue("verdict", Outcome.TRANSIENT.name())
				.addValue("after", afterId)
				.addValue("limit", limit);
			return jdbc.query("SELECT info_item_id, watcher_item_id FROM " + findings
					+ " WHERE run_id = :runId AND verdict = :verdict"
					+ ((afterId != null) ? " AND info_item_id > :after" : "") + " ORDER BY info_item_id LIMIT :limit",
					parameters, (rs, rowNum) -> new InfoItemPointer(rs.getString(1), rs.getString(2)));
		}, properties.chunkSize(), transactionManager);
	}

	@Bean
	WatcherPointerClassifier firstPassClassifier(WatcherClient watcherClient) {
		return WatcherPointerClassifier.firstPass(watcherClient);
	}

	@Bean
	WatcherPointerClassifier recheckClassifier(WatcherClient watcherClient) {
		return WatcherPointerClassifier.recheck(watcherClient);
	}

	@Bean
	StalePointerWriter firstPassWriter(PointerTable pointerTable, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			VerdictTally firstPassTally, SafetyBrake safetyBrake) {
		return StalePointerWriter.firstPass(pointerTable, jdbc, jobSchema, firstPassTally, safetyBrake);
	}

	@Bean
	StalePointerWriter recheckWriter(PointerTable pointerTable, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			VerdictTally recheckTally, SafetyBrake safetyBrake, JobRepository jobRepository) {
		return StalePointerWriter.recheck(pointerTable, jdbc, jobSchema, recheckTally, safetyBrake, jobRepository);
	}

	@Bean
	VerdictTally firstPassTally() {
		return new VerdictTally();
	}

	@Bean
	VerdictTally recheckTally() {
		return new VerdictTally();
	}

	@Bean
	RunProgress runProgress(PointerTable pointerTable, ReconcilerProperties properties) {
		return new RunProgress(pointerTable, properties.progressInterval());
	}

	/** Bounded: one thread per request the client lets in flight (--concurrency). */
	@Bean
	ThreadPoolTaskExecutor watcherLookupExecutor(ReconcilerProperties properties) {
		return lookupExecutor("watcher-lookup-", properties.concurrency());
	}

	/**
	 * A thread per pointer of the chunk, so that their backoffs overlap, up to a cap: at
	 * Watcher's usual latency 256 sleeping threads keep far more than the default eight
	 * requests in flight, and more would only cost memory. Requests stay at
	 * --concurrency.
	 */
	@Bean
	ThreadPoolTaskExecutor watcherRecheckExecutor(ReconcilerProperties properties) {
		return lookupExecutor("watcher-recheck-",
				Math.max(properties.concurrency(), Math.min(properties.chunkSize(), MAX_RECHECK_THREADS)));
	}

	private static ThreadPoolTaskExecutor lookupExecutor(String threadNamePrefix, int threads) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(threads);
		executor.setMaxPoolSize(threads);
		executor.setThreadNamePrefix(threadNamePrefix);
		executor.setDaemon(true);
		// lookup threads log with the run id of the step thread that handed them the item
		executor.setTaskDecorator((task) -> {
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			return () -> {
				if (mdc != null) {
					MDC.setContextMap(mdc);
				}
				try {
					task.run();
				}
				finally {
					MDC.clear();
				}
			};
		});
		executor.initialize();
		return executor;
	}

}
