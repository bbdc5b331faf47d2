package io.cannobserv.reconciler.reconcile;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

import io.cannobserv.reconciler.report.RunCounts;

/**
 * Counts verdicts exactly once. The writer adds a chunk's counts; they become part of the
 * step's execution context only in {@link #update}, which the step calls inside the chunk
 * transaction after the write. A chunk that rolls back is never counted, and a restart
 * resumes from the last committed counts.
 */
class VerdictTally implements ItemStream {

	private RunCounts committed = RunCounts.ZERO;

	private RunCounts pending = RunCounts.ZERO;

	@Override
	public void open(ExecutionContext executionContext) {
		this.committed = RunCounts.from(executionContext);
		this.pending = RunCounts.ZERO;
	}

	void add(RunCounts chunk) {
		this.pending = this.pending.plus(chunk);
	}

	@Override
	public void update(ExecutionContext executionContext) {
		this.committed = this.committed.plus(this.pending);
		this.pending = RunCounts.ZERO;
		this.committed.saveTo(executionContext);
	}

	RunCounts committed() {
		return this.committed;
	}

}
