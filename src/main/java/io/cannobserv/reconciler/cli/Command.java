package io.cannobserv.reconciler.cli;

import java.io.PrintStream;

import io.cannobserv.reconciler.run.ExitCode;

/**
 * One of the application's commands ({@code reconcile}, {@code restore}, {@code report},
 * {@code prune}): a bean named as the command is typed, so that the application finds the
 * one it runs without creating the others (with lazy initialisation, {@code report}
 * creates only the beans it uses). A command that cannot start throws
 * {@link io.cannobserv.reconciler.cli.CommandRefusedException} with its exit code.
 */
public interface Command {

	ExitCode run(CommandLine commandLine, PrintStream out) throws Exception;

}
