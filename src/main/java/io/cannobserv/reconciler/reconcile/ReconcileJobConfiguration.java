package io.cannobserv.reconciler.reconcile;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.MDC;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.guard.BrakeSweeps;
import io.cannobserv.reconciler.guard.GracefulStop;
import io.cannobserv.reconciler.guard.NightHolds;
import io.cannobserv.reconciler.guard.SafetyBrake;
import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.watcher.SnapshotProperties;
import io.cannobserv.reconciler.watcher.WatcherClient;
import io.cannobserv.reconciler.watcher.WatcherProperties;

/**
 * The reconcile job: a chunk-oriented step that reads pointers by keyset pages, looks
 * them up in Watcher in parallel, and writes each chunk in one transaction together with
 * the reader's position and the counts; then a step that asks again, in rounds, about the
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

	/**
	 * The step that takes the snapshot of Watcher's list, with --strategy=snapshot, or
	 * chooses whether to, with auto.
	 */
	static final String SNAPSHOT_STEP_NAME = "takeSnapshotStep";

	/** The steps that count verdicts, in the order they run. */
	static final List<String> STEP_NAMES = List.of(STEP_NAME, RECHECK_STEP_NAME);

	@Bean
	Job watcherLinkReconcileJob(JobRepository jobRepository, Step takeSnapshotStep, Step classifyAndClearStep,
			Step recheckTransientStep, GracefulStop gracefulStop, RunProgress runProgress,
			ReconcilerProperties properties) {
		JobBuilder job = new JobBuilder(JOB_NAME, jobRepository);
		// a run with the per-item strategy has no snapshot step at all, not an empty one;
		// with auto, the snapshot step chooses
		SimpleJobBuilder steps = (properties.strategy() != Strategy.PER_ITEM)
				? job.start(takeSnapshotStep).next(classifyAndClearStep) : job.start(classifyAndClearStep);
		return steps.next(recheckTransientStep)
			.listener(new RunLogContext())
			.listener(gracefulStop)
			.listener(runProgress)
			.build();
	}

	/**
	 * One request for Watcher's whole list, stored for the first pass's page queries.
	 * Taken again by each execution of a run, unless the first pass has completed (see
	 * {@link SnapshotTasklet}).
	 */
	@Bean
	Step takeSnapshotStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			WatcherClient watcherClient, SnapshotTable snapshotTable, SnapshotProperties snapshotProperties,
			ReconcilerProperties properties, PointerTable pointerTable, Link link) {
		return new StepBuilder(SNAPSHOT_STEP_NAME, jobRepository)
			.tasklet(new SnapshotTasklet(watcherClient, snapshotTable, snapshotProperties, jobRepository,
					properties.strategy(), pointerTable, link.resource().list() != null), transactionManager)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	SnapshotTable snapshotTable(JdbcTemplate jdbc, JobSchema jobSchema, PlatformTransactionManager transactionManager) {
		return new SnapshotTable(jdbc, jobSchema, transactionManager);
	}

	@Bean
	Step classifyAndClearStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KeysetPointerReader pointerReader, WatcherPointerClassifier firstPassClassifier,
			StalePointerWriter firstPassWriter, VerdictTally firstPassTally, RunProgress runProgress,
			SnapshotTable snapshotTable, ThreadPoolTaskExecutor watcherLookupExecutor,
			ReconcilerProperties properties) {
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
			.listener(snapshotTable)
			// lookups fan out per chunk; reads and writes stay on the step thread, so
			// restart stays exact
			.taskExecutor(watcherLookupExecutor)
			.build();
	}

	/**
	 * The first pass's transient pointers, asked again in rounds once every other pointer
	 * is settled: a Watcher blip during the run costs a recheck, not a skip. A chunk is
	 * one page of a round (see {@link RecheckRounds}).
	 */
	@Bean
	Step recheckTransientStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			RecheckRounds transientPointerReader, RecheckClassifier recheckClassifier, StalePointerWriter recheckWriter,
			VerdictTally recheckTally, GracefulStop gracefulStop) {
		return new StepBuilder(RECHECK_STEP_NAME, jobRepository).<RecheckRounds.Batch, List<PointerVerdict>>chunk(1)
			.transactionManager(transactionManager)
			.reader(transientPointerReader)
			.processor(recheckClassifier)
			.writer(unlessStopping(recheckWriter, gracefulStop))
			.stream(recheckTally)
			.listener(recheckWriter)
			.build();
	}

	/**
	 * The recheck's writer, unless the run is stopping. A stop leaves the lookups not yet
	 * sent unasked, and the recheck's position would pass them for good: such a chunk is
	 * rolled back instead, and the step ends STOPPED (a {@link JobInterruptedException}),
	 * so that the resumed run asks them again.
	 */
	private static ItemWriter<List<PointerVerdict>> unlessStopping(StalePointerWriter recheckWriter,
			GracefulStop gracefulStop) {
		return (pages) -> {
			if (gracefulStop.isStopRequested()) {
				throw new JobInterruptedException(
						"The run is stopping: this recheck chunk is not written, and is done again when it resumes");
			}
			for (List<PointerVerdict> page : pages) {
				recheckWriter.write(new Chunk<>(page));
			}
		};
	}

	/**
	 * The pointers of this run's partition, by keyset on the InfoItem id, each with its
	 * WatchedItem from the run's snapshot of Watcher's list where the strategy is
	 * {@code snapshot} (or {@code auto} chose it) and the snapshot holds it. The page
	 * size equals the chunk size: one page query per chunk.
	 */
	@Bean
	@StepScope
	KeysetPointerReader pointerReader(PointerTable pointerTable, PlatformTransactionManager transactionManager,
			ReconcilerProperties properties, JobRepository jobRepository,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		RunIdentity identity = RunIdentity.of(stepExecution.getJobParameters(), pointerTable.table().identity());
		long runId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
		KeysetPointerReader.PageQuery pages = SnapshotTasklet.chosen(jobRepository, stepExecution)
				? (afterId, limit) -> pointerTable.pageWithSnapshot(identity.partition(), identity.partitions(),
						afterId, limit, runId)
				: (afterId, limit) -> pointerTable.page(identity.partition(), identity.partitions(), afterId, limit);
		return new KeysetPointerReader("pointerReader", pointerTable.positionKey(), pages, properties.chunkSize(),
				transactionManager);
	}

	/**
	 * The transient findings of this run, in rounds, each by keyset on the InfoItem id.
	 */
	@Bean
	@StepScope
	RecheckRounds transientPointerReader(NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			PlatformTransactionManager transactionManager, ReconcilerProperties properties,
			WatcherProperties watcherProperties, GracefulStop gracefulStop,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		MapSqlParameterSource run = new MapSqlParameterSource("runId",
				stepExecution.getJobExecution().getJobInstance().getInstanceId())
			.addValue("verdict", Outcome.TRANSIENT.name());
		String stillTransient = " FROM " + jobSchema.table("pointer_finding")
				+ " WHERE run_id = :runId AND verdict = :verdict";
		KeysetPointerReader.PageQuery pages = (afterId, limit) -> jdbc
			.query("SELECT info_item_id, watcher_item_id" + stillTransient
					+ ((afterId != null) ? " AND info_item_id > :after" : "") + " ORDER BY info_item_id LIMIT :limit",
					new MapSqlParameterSource(run.getValues()).addValue("after", afterId).addValue("limit", limit),
					(rs, rowNum) -> new InfoItemPointer(rs.getString(1), rs.getString(2)));
		LongSupplier count = () -> {
			Long found = jdbc.queryForObject("SELECT count(*)" + stillTransient, run, Long.class);
			return (found != null) ? found : 0;
		};
		return new RecheckRounds(pages, count,
				new RecheckRounds.Schedule(watcherProperties.maxAttempts(), watcherProperties.initialBackoff(),
						watcherProperties.maxBackoff()),
				properties.chunkSize(), gracefulStop::isStopRequested, transactionManager);
	}

	@Bean
	WatcherPointerClassifier firstPassClassifier(WatcherClient watcherClient, ReconcilerProperties properties) {
		return WatcherPointerClassifier.firstPass(watcherClient, properties.relink());
	}

	@Bean
	RecheckClassifier recheckClassifier(WatcherClient watcherClient, ReconcilerProperties properties,
			ThreadPoolTaskExecutor watcherLookupExecutor) {
		return new RecheckClassifier(WatcherPointerClassifier.round(watcherClient, properties.relink()),
				WatcherPointerClassifier.lastRound(watcherClient, properties.relink()), watcherLookupExecutor);
	}

	@Bean
	StalePointerWriter firstPassWriter(PointerTable pointerTable, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			VerdictTally firstPassTally, SafetyBrake safetyBrake, BrakeSweeps brakeSweeps, HaltedChunks haltedChunks,
			NightHolds nightHolds, RunProgress runProgress) {
		return StalePointerWriter.firstPass(pointerTable, jdbc, jobSchema, firstPassTally, safetyBrake, brakeSweeps,
				haltedChunks, nightHolds, runProgress);
	}

	@Bean
	StalePointerWriter recheckWriter(PointerTable pointerTable, NamedParameterJdbcTemplate jdbc, JobSchema jobSchema,
			VerdictTally recheckTally, SafetyBrake safetyBrake, BrakeSweeps brakeSweeps, HaltedChunks haltedChunks,
			NightHolds nightHolds, RunProgress runProgress, JobRepository jobRepository) {
		return StalePointerWriter.recheck(pointerTable, jdbc, jobSchema, recheckTally, safetyBrake, brakeSweeps,
				haltedChunks, nightHolds, runProgress, jobRepository);
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
	RunProgress runProgress(PointerTable pointerTable, JobRepository jobRepository, ApplicationEventPublisher events,
			ReconcilerProperties properties) {
		return new RunProgress(pointerTable, jobRepository, events, properties.progressInterval());
	}

	/**
	 * Bounded: one thread per request the client may let in flight (--concurrency, the
	 * ceiling of its adaptive limit); threads above the limit wait for a permit.
	 */
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
