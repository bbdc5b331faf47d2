package io.cannobserv.reconciler.pointer;

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

/**
 * The reconcile job: one chunk-oriented step that reads pointers by keyset pages, looks
 * them up in Watcher in parallel, and writes each chunk in one transaction together with
 * the reader's position and the counts.
 */
@Configuration(proxyBeanMethods = false)
class StalePointerJobConfiguration {

	static final String JOB_NAME = "watcherLinkReconcileJob";

	static final String STEP_NAME = "classifyAndClearStep";

	@Bean
	Job watcherLinkReconcileJob(JobRepository jobRepository, Step classifyAndClearStep, GracefulStop gracefulStop) {
		return new JobBuilder(JOB_NAME, jobRepository).start(classifyAndClearStep)
			.listener(new RunLogContext())
			.listener(gracefulStop)
			.build();
	}

	@Bean
	Step classifyAndClearStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<InfoItemPointer> pointerReader, WatcherPointerClassifier watcherPointerClassifier,
			StalePointerWriter stalePointerWriter, VerdictTally verdictTally, RunProgress runProgress,
			ThreadPoolTaskExecutor watcherLookupExecutor, ReconcilerProperties properties) {
		return new StepBuilder(STEP_NAME, jobRepository)
			.<InfoItemPointer, PointerVerdict>chunk(properties.chunkSize())
			// the default is resourceless: the clears, the audit and the reader position must share one
			.transactionManager(transactionManager)
			.reader(pointerReader)
			.processor(watcherPointerClassifier)
			.writer(stalePointerWriter)
			.stream(verdictTally)
			.listener(stalePointerWriter)
			.listener(runProgress)
			// lookups fan out per chunk; reads and writes stay on the step thread, so restart stays exact
			.taskExecutor(watcherLookupExecutor)
			.build();
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
		PostgresPagingQueryProvider queryProvider = new PostgresPagingQueryProvider();
		queryProvider.setSelectClause(archiver.idColumn() + ", " + archiver.pointerColumn());
		queryProvider.setFromClause(archiver.qualifiedTable());
		queryProvider.setWhereClause(new PointerSelection(archiver, partition, partitions).condition());
		queryProvider.setSortKeys(Map.of(archiver.idColumn(), Order.ASCENDING));
		return new JdbcPagingItemReaderBuilder<InfoItemPointer>().name("pointerReader")
			.dataSource(dataSource)
			.queryProvider(queryProvider)
			.pageSize(properties.chunkSize())
			.rowMapper((rs, rowNum) -> new InfoItemPointer(rs.getString(1), rs.getString(2)))
			.build();
	}

	@Bean
	StalePointerWriter stalePointerWriter(NamedParameterJdbcTemplate jdbc, ReconcilerProperties properties,
			JobSchema jobSchema, VerdictTally verdictTally, SafetyBrake safetyBrake) {
		return new StalePointerWriter(jdbc, properties, jobSchema, verdictTally, safetyBrake);
	}

	@Bean
	RunProgress runProgress(JdbcTemplate jdbc, ReconcilerProperties properties) {
		return new RunProgress(jdbc, properties.archiver(), properties.progressInterval());
	}

	@Bean
	VerdictTally verdictTally() {
		return new VerdictTally();
	}

	/** Bounded: the pool size is the number of Watcher requests in flight. */
	@Bean
	ThreadPoolTaskExecutor watcherLookupExecutor(ReconcilerProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.concurrency());
		executor.setMaxPoolSize(properties.concurrency());
		executor.setThreadNamePrefix("watcher-lookup-");
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
		return executor;
	}

}
