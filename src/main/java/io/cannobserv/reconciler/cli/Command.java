package io.cannobserv.reconciler.cli;

import java.io.PrintStream;

import io.cannobserv.reconciler.run.ExitCode;

/**
 * One of the application's commands ({@code reconcile}, {@code restore}, {@code report}).
 * A command that cannot start throws
 * {@link io.cannobserv.reconciler.cli.CommandRefusedException} with its exit code.
 */
public interface Command {

	/** The name typed on the command line. */
	String name();

	ExitCode run(CommandLine commandLine, PrintStream out) throws Exception;

}
