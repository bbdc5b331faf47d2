package io.cannobserv.reconciler.guard;

/**
 * A reason the run cannot start, worded for an operator: the cause and the fix, one line.
 */
public class PreflightException extends RuntimeException {

	public PreflightException(String message) {
		super(message);
	}

}
