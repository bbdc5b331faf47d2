package io.cannobserv.reconciler.reconcile;

import java.io.PrintStream;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.guard.Preflight;
import io.cannobserv.reconciler.guard.PreflightException;
import io.cannobserv.reconciler.guard.RunLock;
import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.report.ConsoleSummary;
import io.cannobserv.reconciler.report.RunEnded;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * {@code reconcile}: under the run lock, preflight, then launch (resume or start) the
 * run, and publish its end as one {@link RunEnded} event, which records and writes the
 * report, sets the metrics and anything else that listens; then show the summary
 * (printed, or one log event under a structured log format).
 */
@Component("reconcile")
public class ReconcileCommand implements Command {

	private final RunLocks runLocks;

	private final Preflight preflight;

	private final JobSchema jobSchema;

	private final RunLauncher runLauncher;

	private final RunConclusion runConclusion;

	private final ApplicationEventPublisher events;

	private final ConsoleSummary summary;

	private final ReconcilerProperties properties;

	private final ArchiverTable table;

	private final Link link;

	ReconcileCommand(RunLocks runLocks, Preflight preflight, JobSchema jobSchema, RunLauncher runLauncher,
			RunConclusion runConclusion, ApplicationEventPublisher events, ConsoleSummary summary,
			ReconcilerProperties properties, ArchiverTable table, Link link) {
		this.runLocks = runLocks;
		this.preflight = preflight;
		this.jobSchema = jobSchema;
		this.runLauncher = runLauncher;
		this.runConclusion = runConclusion;
		this.events = events;
		this.summary = summary;
		this.properties = properties;
		this.table = table;
		this.link = link;
	}

	@Override
	public ExitCode run(CommandLine commandLine, PrintStream out) throws Exception {
		return run(commandLine.apply() ? RunMode.APPLY : RunMode.DRY_RUN, commandLine.fresh(), out);
	}

	/**
	 * Run the command.
	 * @param mode dry run or apply
	 * @param fresh abandon an unfinished run of this mode and start a new one
	 * @param out where the summary goes
	 * @return the exit code
	 * @throws CommandRefusedException when the run cannot start; nothing was read or
	 * written
	 */
	public ExitCode run(RunMode mode, boolean fresh, PrintStream out) throws Exception {
		refuseWhatTheLinkCannotDo();
		RunLogContext.open(new RunIdentity(mode, this.properties.partition(), this.properties.partitions(),
				this.table.identity()));
		// the lock first: a second process leaves at once, having asked nothing of anyone
		try (RunLock lock = this.runLocks.reconcile()) {
			try {
				this.preflight.check(mode);
			}
			catch (PreflightException ex) {
				throw new CommandRefusedException(ExitCode.NOT_STARTED, ex.getMessage());
			}
			this.jobSchema.migrate();
			JobExecution execution = this.runLauncher.launch(mode, fresh);
			RunEnded ended = this.runConclusion.conclude(execution);
			this.events.publishEvent(ended);
			this.summary.show(ended.report(), out);
			return ended.exitCode();
		}
		finally {
			RunLogContext.close();
			BrakeHaltLog.ended();
		}
	}

	/**
	 * A strategy that needs a part of the API the link does not declare. (--relink
	 * without a back-link search is refused earlier, by RelinkSearch, as its bean is
	 * made.)
	 */
	private void refuseWhatTheLinkCannotDo() {
		if (this.properties.strategy() == Strategy.SNAPSHOT && this.link.resource().list() == null) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED,
					"--strategy=snapshot needs the list of every" + " resource, which the link " + this.link.name()
							+ " does not declare (resource.list): use --strategy=auto or per-item");
		}
	}

}
