package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ApplicationEventPublisher;

import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunProgressed;

/**
 * Progress of a run, as of its last committed chunk. At the start of the first pass, one
 * line says how many pointers there are to check; then, at most every interval, one line
 * with done/total, the rate and an estimate of the time left. The same figures go out as
 * a {@link RunProgressed} event (the metrics push them while the run works): when the
 * execution starts, when the first pass knows its total, at most every interval after a
 * chunk commits, in either step, and when the execution ends. A resumed run counts from
 * what its earlier executions committed.
 * <p>
 * The writers tell it what each chunk added, after the chunk's commit: a chunk that rolls
 * back never shows.
 */
final class RunProgress implements JobExecutionListener, StepExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(RunProgress.class);

	/** Where {@code pointerReader} keeps the last sort key it committed. */
	private static final String READER_POSITION = "pointerReader.start.after";

	private final PointerTable pointerTable;

	private final JobRepository jobRepository;

	private final ApplicationEventPublisher events;

	private final long intervalNanos;

	private long runId;

	private RunCounts counts = RunCounts.ZERO;

	private long total;

	private Instant lastCommit = Instant.now();

	private boolean firstPass;

	private long doneAtStart;

	private long startedAt;

	private long publishedAt;

	private boolean publishFailed;

	RunProgress(PointerTable pointerTable, JobRepository jobRepository, ApplicationEventPublisher events,
			Duration interval) {
		this.pointerTable = pointerTable;
		this.jobRepository = jobRepository;
		this.events = events;
		this.intervalNanos = interval.toNanos();
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.runId = jobExecution.getJobInstance().getInstanceId();
		// what the run committed before: each step's last execution holds its counts
		RunCounts committed = RunCounts.ZERO;
		for (String step : ReconcileJobConfiguration.STEP_NAMES) {
			StepExecution last = this.jobRepository.getLastStepExecution(jobExecution.getJobInstance(), step);
			if (last != null) {
				committed = committed.plus(VerdictTally.countsIn(last.getExecutionContext()));
			}
		}
		this.counts = committed;
		this.total = committed.get(Outcome.READ);
		this.lastCommit = Instant.now();
		this.firstPass = false;
		publish(true);
	}

	/** The first pass: how many pointers the run has in all, and the rate from here. */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		RunIdentity identity = RunIdentity.of(stepExecution.getJobParameters(), this.pointerTable.table().identity());
		// a resumed run: only the rows past the reader's committed position are left
		Object position = (stepExecution.getExecutionContext().get(READER_POSITION) instanceof Map<?, ?> keys)
				? keys.get(this.pointerTable.positionKey()) : null;
		long remaining = this.pointerTable.count(identity.partition(), identity.partitions(), position);
		// what earlier executions of this run committed
		this.doneAtStart = VerdictTally.countsIn(stepExecution.getExecutionContext()).get(Outcome.READ);
		this.total = this.doneAtStart + remaining;
		this.firstPass = true;
		this.startedAt = System.nanoTime();
		logger.atInfo()
			.setMessage("{} pointers to check{}")
			.addArgument(remaining)
			.addArgument((this.doneAtStart > 0) ? " (resuming after " + this.doneAtStart + " already checked)" : "")
			.addKeyValue("toCheck", remaining)
			.addKeyValue("checked", this.doneAtStart)
			.addKeyValue("total", this.total)
			.log();
		publish(true);
	}

	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		this.firstPass = false;
		return null;
	}

	/**
	 * A chunk committed, adding {@code delta} to the run's counts. Called on the step's
	 * thread, after the commit.
	 */
	void committed(RunCounts delta) {
		this.counts = this.counts.plus(delta);
		this.lastCommit = Instant.now();
		if (System.nanoTime() - this.publishedAt < this.intervalNanos) {
			return;
		}
		if (this.firstPass) {
			log();
		}
		publish(true);
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		publish(false);
	}

	private void log() {
		long done = this.counts.get(Outcome.READ);
		double seconds = (System.nanoTime() - this.startedAt) / 1e9;
		double rate = (done - this.doneAtStart) / Math.max(seconds, 1e-3);
		long left = Math.max(0, this.total - done);
		Duration eta = (rate > 0) ? Duration.ofSeconds((long) (left / rate)) : null;
		long percent = Math.round((this.total > 0) ? 100.0 * done / this.total : 100.0);
		logger.atInfo()
			.setMessage(
					() -> String.format(Locale.ROOT, "Progress: %d/%d pointers (%d%%), %.1f per second, about %s left",
							done, this.total, percent, rate, (eta != null) ? format(eta) : "unknown"))
			.addKeyValue("checked", done)
			.addKeyValue("total", this.total)
			.addKeyValue("percent", percent)
			.addKeyValue("perSecond", Math.round(rate * 10) / 10.0)
			.addKeyValue("secondsLeft", (eta != null) ? eta.toSeconds() : null)
			.log();
	}

	/**
	 * Tells the listeners; a listener's failure is logged once and never stops the run.
	 */
	private void publish(boolean running) {
		this.publishedAt = System.nanoTime();
		try {
			this.events.publishEvent(new RunProgressed(this.runId, this.counts, this.total, this.lastCommit, running));
		}
		catch (RuntimeException ex) {
			if (!this.publishFailed) {
				this.publishFailed = true;
				logger.warn("Progress of run {} not published: {}; the run goes on", this.runId, ex.toString());
			}
		}
	}

	private static String format(Duration duration) {
		if (duration.toHours() > 0) {
			return duration.toHours() + " h " + duration.toMinutesPart() + " min";
		}
		return (duration.toMinutes() > 0) ? duration.toMinutes() + " min " + duration.toSecondsPart() + " s"
				: duration.toSeconds() + " s";
	}

}
