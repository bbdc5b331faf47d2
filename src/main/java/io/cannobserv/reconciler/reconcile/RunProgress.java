package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunIdentity;

/**
 * Progress of a long run: at the start, how many pointers there are to check; then, at
 * most every interval, one line with done/total, the rate and an estimate of the time
 * left. A resumed run counts from what earlier executions committed.
 */
final class RunProgress implements StepExecutionListener, ItemWriteListener<PointerVerdict> {

	private static final Logger logger = LoggerFactory.getLogger(RunProgress.class);

	/** Where {@code pointerReader} keeps the last sort key it committed. */
	private static final String READER_POSITION = "pointerReader.start.after";

	private final PointerTable pointerTable;

	private final long intervalNanos;

	private long total;

	private long done;

	private long doneAtStart;

	private long startedAt;

	private long loggedAt;

	RunProgress(PointerTable pointerTable, Duration interval) {
		this.pointerTable = pointerTable;
		this.intervalNanos = interval.toNanos();
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		RunIdentity identity = RunIdentity.of(stepExecution.getJobParameters(), this.pointerTable.table().identity());
		// a resumed run: only the rows past the reader's committed position are left
		Object position = (stepExecution.getExecutionContext().get(READER_POSITION) instanceof Map<?, ?> keys)
				? keys.get(this.pointerTable.positionKey()) : null;
		long remaining = this.pointerTable.count(identity.partition(), identity.partitions(), position);
		// what earlier executions of this run committed
		this.doneAtStart = VerdictTally.countsIn(stepExecution.getExecutionContext()).get(Outcome.READ);
		this.done = this.doneAtStart;
		this.total = this.done + remaining;
		this.startedAt = System.nanoTime();
		this.loggedAt = this.startedAt;
		logger.info("{} pointers to check{}", this.total - this.done,
				(this.done > 0) ? " (resuming after " + this.done + " already checked)" : "");
	}

	@Override
	public void afterWrite(Chunk<? extends PointerVerdict> items) {
		this.done += items.size();
		long now = System.nanoTime();
		if (now - this.loggedAt < this.intervalNanos) {
			return;
		}
		this.loggedAt = now;
		double seconds = (now - this.startedAt) / 1e9;
		double rate = (this.done - this.doneAtStart) / Math.max(seconds, 1e-3);
		long left = Math.max(0, this.total - this.done);
		logger.info(String.format(Locale.ROOT, "Progress: %d/%d pointers (%.0f%%), %.1f per second, about %s left",
				this.done, this.total, (this.total > 0) ? 100.0 * this.done / this.total : 100.0, rate,
				(rate > 0) ? format(Duration.ofSeconds((long) (left / rate))) : "unknown"));
	}

	private static String format(Duration duration) {
		if (duration.toHours() > 0) {
			return duration.toHours() + " h " + duration.toMinutesPart() + " min";
		}
		return (duration.toMinutes() > 0) ? duration.toMinutes() + " min " + duration.toSecondsPart() + " s"
				: duration.toSeconds() + " s";
	}

}
