package io.cannobserv.reconciler.report;

import io.cannobserv.reconciler.ExitCode;

/**
 * A reconcile run's execution has ended and its work is committed: the one event at the
 * end of a run. Listeners run synchronously, in their {@code @Order}, on the command's
 * thread, before the summary is printed and the process exits with {@code exitCode}.
 * <p>
 * A listener that throws makes the command exit 1 ("run again") and the listeners after
 * it do not run: only recording the run may fail it so ({@link RunReportRecorder},
 * first), as a run whose report was not written is not done. Every other listener
 * (metrics, notifications) logs its own failure and leaves the exit code alone.
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
