package io.cannobserv.reconciler.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.report.RunEnded;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunProgressed;
import io.cannobserv.reconciler.run.Strategy;

/**
 * The outcome of a run as gauges, set once when the run ends and pushed when the process
 * exits (a CronJob's pod is gone before any scrape). Values are the run's committed
 * counts, the same as in its report, so a dashboard and the report never disagree.
 * <p>
 * While the run works, its progress: a running flag, what it has checked of how many, its
 * counts so far and when its last chunk committed, set on each {@link RunProgressed} and
 * pushed to the Pushgateway then ({@link RunGroupPush}); the OTLP registry exports them
 * at each step. They are {@code reconciler_run_progress_*}, apart from the final figures,
 * so that an alert or an average over the final figures never sees a half-done run.
 * <p>
 * The push at exit replaces the run's whole group ({@code shutdown-operation=put}), so
 * each push carries everything the group must keep: the exit code of every reconcile run,
 * refused or reported, the last success of its kind, read from the run history, and the
 * running flag at 0.
 */
@Component
public class RunMetrics {

	private final MeterRegistry registry;

	private final LastSuccessfulRun lastSuccessfulRun;

	private final ReconcilerProperties properties;

	private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

	private final ArchiverTable table;

	private final ObjectProvider<RunGroupPush> push;

	RunMetrics(MeterRegistry registry, LastSuccessfulRun lastSuccessfulRun, ReconcilerProperties properties,
			ArchiverTable table, ObjectProvider<RunGroupPush> push) {
		this.registry = registry;
		this.lastSuccessfulRun = lastSuccessfulRun;
		this.properties = properties;
		this.table = table;
		this.push = push;
	}

	/**
	 * Sets the progress gauges and, while the run works, pushes them to the run's group
	 * (without waiting for the push).
	 */
	@EventListener
	void onRunProgressed(RunProgressed progress) {
		progress(progress.counts(), progress.total(), progress.lastCommit().getEpochSecond());
		running(progress.running());
		if (progress.running()) {
			this.push.ifAvailable(RunGroupPush::pushNow);
		}
	}

	private void progress(RunCounts counts, long total, long lastCommit) {
		counts.asMap()
			.forEach((outcome, count) -> gauge("reconciler.run.progress.pointers", Tags.of("outcome", outcome),
					"Pointers of the run so far, by verdict and written outcome, as of its last committed chunk")
				.set(count));
		gauge("reconciler.run.progress.total.pointers", Tags.empty(),
				"Pointers the run checks in all: checked before this execution plus those left at its start")
			.set(total);
		gauge("reconciler.run.progress.last.commit.timestamp.seconds", Tags.empty(),
				"When the run's last chunk committed (before the first: when its execution started)")
			.set(lastCommit);
	}

	private void running(boolean running) {
		gauge("reconciler.run.running", Tags.empty(), "1 while the run works; 0 once it has ended")
			.set(running ? 1 : 0);
	}

	/** Sets the gauges; a failure is logged, never changing the run's exit code. */
	@EventListener
	@Order(RunEnded.TELL)
	void onRunEnded(RunEnded ended) {
		record(ended.report());
	}

	void record(RunReport report) {
		running(false);
		report.counts()
			.asMap()
			.forEach((outcome, count) -> gauge("reconciler.run.pointers", Tags.of("outcome", outcome),
					"Pointers of the run by verdict and written outcome")
				.set(count));
		exitCode(report.exitCode());
		gauge("reconciler.run.brake.tripped", Tags.empty(), "1 when the safety brake halted the run or would have")
			.set((report.brake().state() == BrakeState.CLEAR) ? 0 : 1);
		RunReport.Snapshot snapshot = report.snapshot();
		gauge("reconciler.run.snapshot.items", Tags.empty(),
				"WatchedItems in the snapshot of Watcher's list the run used (0: none used)")
			.set((snapshot != null && snapshot.used()) ? snapshot.items() : 0);
		gauge("reconciler.run.snapshot.fallback", Tags.empty(),
				"1 when the run's snapshot of Watcher's list was not used and every pointer was looked up by id")
			.set((report.strategy() == Strategy.SNAPSHOT && (snapshot == null || !snapshot.used())) ? 1 : 0);
		if (report.startedAt() != null && report.endedAt() != null) {
			gauge("reconciler.run.duration.seconds", Tags.empty(), "Wall time of the run, all executions")
				.set(Duration.between(report.startedAt(), report.endedAt()).toSeconds());
		}
	}

	/**
	 * The run ended with {@code exitCode}: called whichever way it ended, before the
	 * context closes (closing pushes); only for {@code reconcile}, the one command
	 * measured. A reconcile run refused before it started (exit 2, 4) or failed outside
	 * the job (exit 1) has no report, and its exit code must reach the group all the
	 * same. The last success of this kind of run comes from the run history, so that a
	 * failed run pushes the previous one again instead of dropping it: the Pushgateway's
	 * advice is to alert on the age of the last success, not on a missing push.
	 * @param labels the command and its mode
	 * @param exitCode the process's exit code
	 */
	public void ended(RunLabels labels, ExitCode exitCode) {
		exitCode(exitCode.code());
		// the final push replaces the group: never with a run still marked running
		running(false);
		this.lastSuccessfulRun
			.endedAt(labels.mode(), this.properties.partition(), this.properties.partitions(), this.table.identity())
			.ifPresent((endedAt) -> gauge("reconciler.run.last.success.timestamp.seconds", Tags.empty(),
					"When the last run of this kind (command, mode, partition, table) completed")
				.set(endedAt.getEpochSecond()));
	}

	private void exitCode(int code) {
		gauge("reconciler.run.exit.code", Tags.empty(),
				"The run's exit code (0 completed, 1 resumable, 2 not started, 3 brake, 4 locked)")
			.set(code);
	}

	private AtomicLong gauge(String name, Tags tags, String description) {
		return this.values.computeIfAbsent(name + tags, (key) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(name, value, AtomicLong::get).tags(tags).description(description).register(this.registry);
			return value;
		});
	}

}
