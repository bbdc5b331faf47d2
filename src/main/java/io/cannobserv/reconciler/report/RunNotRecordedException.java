package io.cannobserv.reconciler.report;

/**
 * The run's end could not be recorded (run history or report file): the command exits 1,
 * and running it again records it.
 */
public class RunNotRecordedException extends RuntimeException {

	public RunNotRecordedException(RuntimeException cause) {
		super(cause.getMessage(), cause);
	}

}
