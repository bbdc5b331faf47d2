package io.cannobserv.reconciler.reconcile;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;

/**
 * Counts verdicts exactly once. The writer adds a chunk's counts; they become part of the
 * step's execution context only in {@link #update}, which the step calls inside the chunk
 * transaction after the write. A chunk that rolls back is never counted, and a restart
 * resumes from the last committed counts.
 * <p>
 * Each outcome is one context entry, {@code reconciler.counts.<jsonName>}: the keys every
 * release has written, so a run left unfinished by an earlier release resumes with its
 * counts, and an outcome added since starts from 0.
 */
final class VerdictTally implements ItemStream {

	private static final String KEY_PREFIX = "reconciler.counts.";

	private RunCounts committed = RunCounts.ZERO;

	private RunCounts pending = RunCounts.ZERO;

	@Override
	public void open(ExecutionContext executionContext) {
		this.committed = countsIn(executionContext);
		this.pending = RunCounts.ZERO;
	}

	void add(RunCounts chunk) {
		this.pending = this.pending.plus(chunk);
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.committed = this.committed.plus(this.pending);
		this.pending = RunCounts.ZERO;
		for (Outcome outcome : Outcome.values()) {
			executionContext.putLong(KEY_PREFIX + outcome.jsonName(), this.committed.get(outcome));
		}
	}

	/** The counts a step committed, as its execution context holds them. */
	static RunCounts countsIn(ExecutionContext executionContext) {
		RunCounts counts = RunCounts.ZERO;
		for (Outcome outcome : Outcome.values()) {
			counts = counts.with(outcome, executionContext.getLong(KEY_PREFIX + outcome.jsonName(), 0L));
		}
		return counts;
	}

}
