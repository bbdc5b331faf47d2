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
import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.ReconcilerProperties.ArchiverTable;
import io.cannobserv.reconciler.report.RunCounts;

/**
 * Progress of a long run: at the start, how many pointers there are to check; then, at most
 * every interval, one line with done/total, the rate and an estimate of the time left. A
 * resumed run counts from what earlier executions committed.
 */
class RunProgress implements StepExecutionListener, ItemWriteListener<PointerVerdict> {

	private static final Logger logger = LoggerFactory.getLogger(RunProgress.class);

	/** Where {@code pointerReader} keeps the last sort key it committed. */
	private static final String READER_POSITION = "pointerReader.start.after";

	private final JdbcTemplate jdbc;

	private final ArchiverTable archiver;

	private final long intervalNanos;

	private long total;

	private long done;

	private long doneAtStart;

	private long startedAt;

	private long loggedAt;

	RunProgress(JdbcTemplate jdbc, ArchiverTable archiver, Duration interval) {
		this.jdbc = jdbc;
		this.archiver = archiver;
		this.intervalNanos = interval.toNanos();
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		Long partition = stepExecution.getJobParameters().getLong(ReconcileJobParameters.PARTITION);
		Long partitions = stepExecution.getJobParameters().getLong(ReconcileJobParameters.PARTITIONS);
		PointerSelection selection = new PointerSelection(this.archiver, (partition != null) ? partition : 0,
				(partitions != null) ? partitions : 1);
		// a resumed run: only the rows past the reader's committed position are left
		String sql = selection.countSql();
		Object[] args = new Object[0];
		if (stepExecution.getExecutionContext().get(READER_POSITION) instanceof Map<?, ?> keys
				&& keys.get(this.archiver.idColumn()) != null) {
			sql += " AND " + this.archiver.idColumn() + " > ?";
			args = new Object[] { keys.get(this.archiver.idColumn()) };
		}
		Long remaining = this.jdbc.queryForObject(sql, Long.class, args);
		// what earlier executions of this run committed
		this.doneAtStart = RunCounts.from(stepExecution.getExecutionContext()).read();
		this.done = this.doneAtStart;
		this.total = this.done + ((remaining != null) ? remaining : 0);
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
