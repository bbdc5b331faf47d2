package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.watcher.SnapshotProperties;
import io.cannobserv.reconciler.watcher.WatcherAuthenticationException;
import io.cannobserv.reconciler.watcher.WatcherClient;
import io.cannobserv.reconciler.watcher.WatcherSnapshot;

/**
 * Takes the snapshot of Watcher's list for the first pass ({@code --strategy=snapshot},
 * or {@code auto} when it chooses one, see {@link StrategyChoice}): one request, stored
 * in the job's schema as it arrives. A snapshot that is incomplete (past a limit, or
 * Watcher's answer unusable) is not used: the run says so and looks up every pointer by
 * id.
 * <p>
 * Every execution of a run takes its own: a resumed run retakes it rather than reuse the
 * one its first execution took. A resume may come a night later, and a snapshot decides
 * "exists" for every item it holds, so an old one would keep, for another night, the
 * pointers to every WatchedItem deleted since: the very pointers the run is for. One
 * request is cheap beside the run, and a snapshot that belongs to one execution needs no
 * check of its age or completeness after a crash. Once the first pass has completed,
 * nothing is left that a snapshot would decide, and none is taken.
 */
final class SnapshotTasklet implements Tasklet {

	private static final Logger logger = LoggerFactory.getLogger(SnapshotTasklet.class);

	private static final String PREFIX = "reconciler.snapshot.";

	private final WatcherClient watcherClient;

	private final SnapshotTable snapshotTable;

	private final SnapshotProperties limits;

	private final JobRepository jobRepository;

	private final Strategy setting;

	private final PointerTable pointerTable;

	private final boolean linkHasList;

	SnapshotTasklet(WatcherClient watcherClient, SnapshotTable snapshotTable, SnapshotProperties limits,
			JobRepository jobRepository, Strategy setting, PointerTable pointerTable, boolean linkHasList) {
		this.watcherClient = watcherClient;
		this.snapshotTable = snapshotTable;
		this.limits = limits;
		this.jobRepository = jobRepository;
		this.setting = setting;
		this.pointerTable = pointerTable;
		this.linkHasList = linkHasList;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		StepExecution step = chunkContext.getStepContext().getStepExecution();
		long runId = step.getJobExecution().getJobInstance().getInstanceId();
		StepExecution firstPass = this.jobRepository.getLastStepExecution(step.getJobExecution().getJobInstance(),
				ReconcileJobConfiguration.STEP_NAME);
		if (firstPass != null && firstPass.getStatus() == BatchStatus.COMPLETED) {
			logger.info("No snapshot of Watcher's list taken: the first pass is complete");
			return RepeatStatus.FINISHED;
		}
		this.snapshotTable.forget(runId);
		ExecutionContext context = step.getExecutionContext();
		StrategyChoice choice = choose(step);
		choice.record(context);
		if (choice.strategy() != Strategy.SNAPSHOT) {
			logger.info("Strategy per-item ({}): every pointer is looked up by id", choice.reason());
			return RepeatStatus.FINISHED;
		}
		if (choice.reason() != null) {
			logger.info("Strategy snapshot ({}): taking a snapshot of Watcher's list", choice.reason());
		}
		WatcherSnapshot snapshot = snapshot(runId, choice);
		context.putString(PREFIX + "used", String.valueOf(snapshot.complete()));
		context.putLong(PREFIX + "items", snapshot.complete() ? snapshot.items() : 0);
		context.putLong(PREFIX + "millis", snapshot.took().toMillis());
		context.putInt(PREFIX + "requests", snapshot.attempts());
		if (snapshot.complete()) {
			logger.info(String.format(Locale.ROOT,
					"Snapshot of Watcher's list: %d WatchedItems in %.1f s (%d request(s)); the pointers missing "
							+ "from it are looked up by id",
					snapshot.items(), snapshot.took().toMillis() / 1000.0, snapshot.attempts()));
		}
		else {
			context.putString(PREFIX + "reason", String.valueOf(snapshot.failure()));
			logger.warn("Snapshot of Watcher's list not used: {}; every pointer is looked up by id, as with "
					+ "--strategy=per-item", snapshot.failure());
		}
		return RepeatStatus.FINISHED;
	}

	/**
	 * The snapshot; where {@code auto} chose it, a list the key may not read (401, 403)
	 * is a snapshot not used, not the run's end: the key passed preflight's lookup, and
	 * the lookups by id need nothing more. Where the strategy was set, the run stops on
	 * it.
	 */
	private WatcherSnapshot snapshot(long runId, StrategyChoice choice) {
		try {
			return this.watcherClient.snapshot(this.limits, this.snapshotTable.sink(runId));
		}
		catch (WatcherAuthenticationException ex) {
			if (choice.reason() == null) {
				throw ex;
			}
			this.snapshotTable.forget(runId);
			return new WatcherSnapshot(false, 0, "the list was refused: " + ex.getMessage(), 1, Duration.ZERO);
		}
	}

	private StrategyChoice choose(StepExecution step) {
		if (this.setting != Strategy.AUTO) {
			return new StrategyChoice(this.setting, null);
		}
		RunIdentity identity = RunIdentity.of(step.getJobParameters(), this.pointerTable.table().identity());
		long pointers = this.linkHasList
				? this.pointerTable.countUpTo(identity.partition(), identity.partitions(), StrategyChoice.SNAPSHOT_FROM)
				: 0;
		return StrategyChoice.auto(this.linkHasList, pointers);
	}

	/**
	 * Whether the first pass of {@code step}'s execution asks with a snapshot: the choice
	 * its snapshot step recorded.
	 */
	static boolean chosen(JobRepository jobRepository, StepExecution step) {
		StepExecution snapshotStep = jobRepository.getLastStepExecution(step.getJobExecution().getJobInstance(),
				ReconcileJobConfiguration.SNAPSHOT_STEP_NAME);
		return snapshotStep != null && snapshotStep.getJobExecutionId() == step.getJobExecutionId()
				&& StrategyChoice.recorded(snapshotStep.getExecutionContext())
					.map((choice) -> choice.strategy() == Strategy.SNAPSHOT)
					.orElse(false);
	}

	/**
	 * What the snapshot steps of a run's executions recorded, the latest execution's
	 * first.
	 */
	static Stream<ExecutionContext> recordedNewestFirst(List<JobExecution> executions) {
		return executions.stream()
			.sorted(Comparator.comparing(JobExecution::getId).reversed())
			.flatMap((execution) -> execution.getStepExecutions().stream())
			.filter((step) -> step.getStepName().equals(ReconcileJobConfiguration.SNAPSHOT_STEP_NAME))
			.map(StepExecution::getExecutionContext);
	}

	/** The snapshot an execution recorded, or null when it took none. */
	static RunReport.@Nullable Snapshot recorded(ExecutionContext context) {
		if (!context.containsKey(PREFIX + "used")) {
			return null;
		}
		return new RunReport.Snapshot(Boolean.parseBoolean(context.getString(PREFIX + "used")),
				context.getLong(PREFIX + "items"), context.getLong(PREFIX + "millis"),
				context.getInt(PREFIX + "requests"),
				context.containsKey(PREFIX + "reason") ? context.getString(PREFIX + "reason") : null);
	}

}
