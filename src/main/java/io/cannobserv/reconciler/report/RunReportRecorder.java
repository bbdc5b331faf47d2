package io.cannobserv.reconciler.report;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Records an ended run: its figures in the run history ({@code reconcile_run}) and its
 * report file. A failure here fails the command (exit 1): the run is not done until it is
 * recorded, and running it again records it.
 */
@Component
class RunReportRecorder {

	private final RunReports runReports;

	RunReportRecorder(RunReports runReports) {
		this.runReports = runReports;
	}

	@EventListener
	@Order(RunEnded.RECORD)
	void record(RunEnded ended) {
		try {
			this.runReports.save(ended.report(), ended.jobExecutionId());
			this.runReports.write(ended.report());
		}
		catch (RuntimeException ex) {
			throw new RunNotRecordedException(ex);
		}
	}

}
