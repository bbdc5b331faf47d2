package io.cannobserv.reconciler.cli;

/**
 * A command line that cannot be run as given; the message names the argument and the fix.
 */
public class UsageException extends RuntimeException {

	public UsageException(String message) {
		super(message);
	}

}
