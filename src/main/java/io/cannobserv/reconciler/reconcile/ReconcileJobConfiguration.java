package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.MDC;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.ReconcilerProperties.ArchiverTable;
import io.cannobserv.reconciler.guard.GracefulStop;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * The reconcile job: a chunk-oriented step that reads pointers by keyset pages, looks
 * them up in Watcher in parallel, and writes each chunk in one transaction together with
 * the reader's position and the counts; then a step that asks again, patiently, about the
 * pointers the first pass found transient.
 */
@Configuration(proxyBeanMethods = false)
class ReconcileJobConfiguration {

	static final String JOB_NAME = "watcherLinkReconcileJob";

	static final String STEP_NAME = "classifyAndClearStep";

	static final String RECHECK_STEP_NAME = "recheckTransientStep";

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
			JdbcPagingItemReader<InfoItemPointer> pointerReader, WatcherClient watcherClient,
			StalePointerWriter stalePointerWriter, VerdictTally verdictTally, RunProgress runProgress,
			ThreadPoolTaskExecutor watcherLookupExecutor, ReconcilerProperties properties) {
		return new StepBuilder(STEP_NAME, jobRepository)
			.<InfoItemPointer, PointerVerdict>chunk(properties.chunkSize())
			// the default is resourceless: the clears, the audit and the reader position must share one
			.transactionManager(transactionManager)
			.reader(pointerReader)
			// one request per pointer: retries wait for the recheck, so no chunk stalls on a backoff
			.processor(new WatcherPointerClassifier(watcherClient, false))
			.writer(stalePointerWriter)
			.stream(verdictTally)
			.listener(stalePointerWriter)
			.listener(runProgress)
			// lookups fan out per chunk; reads and writes stay on the step thread, so restart stays exact
			.taskExecutor(watcherLookupExecutor)
			.build();
	}

	/**
	 * The first pass's transient pointers, asked again with retries and backoff once every
	 * other pointer is settled: a Watcher blip during the run costs a recheck, not a skip.
	 */
	@Bean
	Step recheckTransientStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<InfoItemPointer> transientPointerReader, WatcherClient watcherClient,
			NamedParameterJdbcTemplate jdbc, ReconcilerProperties properties, JobSchema jobSchema,
			SafetyBrake safetyBrake) {
		VerdictTally tally = new VerdictTally();
		StalePointerWriter writer = new StalePointerWriter(jdbc, properties, jobSchema, tally, safetyBrake,
				jobRepository, true);
		return new StepBuilder(RECHECK_STEP_NAME, jobRepository)
			.<InfoItemPointer, PointerVerdict>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(transientPointerReader)
			.processor(new WatcherPointerClassifier(watcherClient, true))
			.writer(writer)
			.stream(tally)
			.listener(writer)
			.taskExecutor(lookupExecutor("watcher-recheck-", recheckThreads(properties)))
			.build();
	}

	/**
	 * A thread per pointer of the chunk, so that their backoffs overlap, up to a cap: at
	 * Watcher's usual latency 256 sleeping threads keep far more than the default eight
	 * requests in flight, and more would only cost memory. Requests stay at --concurrency.
	 */
	private static int recheckThreads(ReconcilerProperties properties) {
		return Math.max(properties.concurrency(), Math.min(properties.chunkSize(), MAX_RECHECK_THREADS));
	}

	/** The transient findings of this run, by keyset on the InfoItem id, as the first pass read them. */
	@Bean
	@StepScope
	JdbcPagingItemReader<InfoItemPointer> transientPointerReader(DataSource dataSource, JobSchema jobSchema,
			ReconcilerProperties properties, @Value("#{stepExecution.jobExecution.jobInstance.instanceId}") Long runId)
			throws Exception {
		return keysetReader("transientPointerReader", dataSource, "info_item_id", "watcher_item_id",
				jobSchema.table("pointer_finding"), "run_id = " + runId + " AND verdict = 'TRANSIENT'",
				properties.chunkSize());
	}

	/**
	 * Keyset paging on the primary key, never OFFSET: the writer removes rows from the
	 * filter as it goes. The page size equals the chunk size so that every commit ends on a
	 * page boundary and a restart is a pure keyset query.
	 */
	@Bean
	@StepScope
	JdbcPagingItemReader<InfoItemPointer> pointerReader(DataSource dataSource, ReconcilerProperties properties,
			@Value("#{jobParameters['partition']}") Long partition,
			@Value("#{jobParameters['partitions']}") Long partitions) throws Exception {
		ArchiverTable archiver = properties.archiver();
		return keysetReader("pointerReader", dataSource, archiver.idColumn(), archiver.pointerColumn(),
				archiver.qualifiedTable(), new PointerSelection(archiver, partition, partitions).condition(),
				properties.chunkSize());
	}

	/** Pointers by keyset on {@code idColumn}, which must be unique: the sort key is the position. */
	private static JdbcPagingItemReader<InfoItemPointer> keysetReader(String name, DataSource dataSource,
			String idColumn, String pointerColumn, String from, String where, int pageSize) throws Exception {
		PostgresPagingQueryProvider queryProvider = new PostgresPagingQueryProvider();
		queryProvider.setSelectClause(idColumn + ", " + pointerColumn);
		queryProvider.setFromClause(from);
		queryProvider.setWhereClause(where);
		queryProvider.setSortKeys(Map.of(idColumn, Order.ASCENDING));
		return new JdbcPagingItemReaderBuilder<InfoItemPointer>().name(name)
			.dataSource(dataSource)
			.queryProvider(queryProvider)
			.pageSize(pageSize)
			.rowMapper((rs, rowNum) -> new InfoItemPointer(rs.getString(1), rs.getString(2)))
			.build();
	}

	@Bean
	StalePointerWriter stalePointerWriter(NamedParameterJdbcTemplate jdbc, ReconcilerProperties properties,
			JobSchema jobSchema, VerdictTally verdictTally, SafetyBrake safetyBrake, JobRepository jobRepository) {
		return new StalePointerWriter(jdbc, properties, jobSchema, verdictTally, safetyBrake, jobRepository, false);
	}

	@Bean
	RunProgress runProgress(JdbcTemplate jdbc, ReconcilerProperties properties) {
		return new RunProgress(jdbc, properties.archiver(), properties.progressInterval());
	}

	@Bean
	VerdictTally verdictTally() {
		return new VerdictTally();
	}

	/** Bounded: one thread per request the client lets in flight (--concurrency). */
	@Bean
	ThreadPoolTaskExecutor watcherLookupExecutor(ReconcilerProperties properties) {
		return lookupExecutor("watcher-lookup-", properties.concurrency());
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
