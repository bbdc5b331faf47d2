package io.cannobserv.reconciler.report;

import io.cannobserv.reconciler.run.ExitCode;

/**
 * A reconcile run's execution has ended and its work is committed: the one event at the
 * end of a run. Listeners run synchronously, in their {@code @Order}, on the command's
 * thread, before the summary is printed and the process exits with {@code exitCode}.
 * <p>
 * Only recording the run may fail the command ({@link RunReportRecorder}, first: a run
 * whose report was not written is not done, so the command exits 1 and running it again
 * records it). Any other listener (metrics, notifications) that throws is logged, the
 * listeners after it still run, and the exit code stands ({@link RunEndedListeners}).
 *
 * @param report the run's report, as committed
 * @param exitCode the code the process will exit with
 * @param jobExecutionId the execution that just ended
 */
public record RunEnded(RunReport report, ExitCode exitCode, long jobExecutionId) {

	/**
	 * Order of {@link RunReportRecorder}: first, so that the others see a recorded run.
	 */
	public static final int RECORD = 0;

	/**
	 * Order of listeners that only tell others (metrics, notifications): after the
	 * record.
	 */
	public static final int TELL = 100;

}
