package io.cannobserv.reconciler.cli;

import io.cannobserv.reconciler.run.ExitCode;

/**
 * A command that could not start, with the exit code and a one-line reason naming the
 * fix.
 */
public class CommandRefusedException extends RuntimeException {

	private final ExitCode exitCode;

	public CommandRefusedException(ExitCode exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	public ExitCode exitCode() {
		return this.exitCode;
	}

}
