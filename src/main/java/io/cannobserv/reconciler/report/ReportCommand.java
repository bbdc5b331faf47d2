package io.cannobserv.reconciler.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.cli.ReportFormat;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.store.PrunedRuns;

/**
 * {@code report [--run ID] [--format text|json|markdown|html] [--output FILE]}: the
 * recent runs, or one run, from the run history in the database. Needs nothing but the
 * database: no Watcher, no lock, and it never creates the job's schema just to find it
 * empty.
 */
@Component("report")
class ReportCommand implements Command {

	/** Runs in the list and in a trend. */
	static final int RECENT_RUNS = 20;

	/** Lines of each list in the text form of one run. */
	private static final int TEXT_LIST_LIMIT = 200;

	private final RunReports runReports;

	private final RunHistory history;

	private final JobSchema jobSchema;

	private final PrunedRuns prunedRuns;

	private final Clock clock;

	ReportCommand(RunReports runReports, RunHistory history, JobSchema jobSchema, PrunedRuns prunedRuns) {
		this.runReports = runReports;
		this.history = history;
		this.jobSchema = jobSchema;
		this.prunedRuns = prunedRuns;
		this.clock = Clock.systemUTC();
	}

	@Override
	public ExitCode run(CommandLine commandLine, PrintStream out) {
		// the arguments were checked before the application started
		ReportFormat format = commandLine.format();
		@Nullable Long runId = commandLine.runId();
		@Nullable String output = commandLine.output();
		if (!this.history.schemaExists()) {
			if (runId != null) {
				throw unknownRun(runId);
			}
			return emit(noRuns(format), output, out);
		}
		// a schema made by an earlier release: its history is migrated, never lost (a
		// current one is only compared with this release's migrations)
		this.jobSchema.migrate();
		if (runId != null) {
			RunReport report = this.runReports.load(runId).orElseThrow(() -> unknownRun(runId));
			return emit(render(format, report), output, out);
		}
		List<RunSummary> runs = this.history.recent(RECENT_RUNS);
		return emit(runs.isEmpty() ? noRuns(format) : render(format, runs), output, out);
	}

	private String render(ReportFormat format, RunReport report) {
		return switch (format) {
			case TEXT -> text(report);
			case JSON -> this.runReports.toJson(report);
			case MARKDOWN -> this.runReports.markdown(report);
			case HTML -> HtmlReport.run(report, this.history.upTo(report.summary(), RECENT_RUNS), this.jobSchema.name(),
					this.clock.instant(), this.runReports.words(report));
		};
	}

	private String render(ReportFormat format, List<RunSummary> runs) {
		return switch (format) {
			case TEXT -> TextRunList.render(runs);
			case JSON -> this.runReports.toJson(newestFirst(runs));
			case MARKDOWN -> MarkdownReport.list(runs);
			case HTML -> HtmlReport.list(runs, this.jobSchema.name(), this.clock.instant());
		};
	}

	private static List<RunSummary> newestFirst(List<RunSummary> runs) {
		List<RunSummary> newestFirst = new ArrayList<>(runs);
		Collections.reverse(newestFirst);
		return newestFirst;
	}

	private String text(RunReport report) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		try (PrintStream text = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
			this.runReports.print(report, null, text, TEXT_LIST_LIMIT,
					"(report --run " + report.runId() + " --format json lists them all)");
		}
		// the console summary starts with a blank line to set it off from the logs; here
		// it stands alone
		return buffer.toString(StandardCharsets.UTF_8).stripLeading();
	}

	private String noRuns(ReportFormat format) {
		String message = "No runs recorded yet in schema " + this.jobSchema.name()
				+ ": a reconcile run is recorded here when it ends.";
		return switch (format) {
			// still a document a script can parse
			case JSON -> "[]";
			case HTML -> HtmlReport.list(List.of(), this.jobSchema.name(), this.clock.instant());
			case TEXT, MARKDOWN -> message + "\n";
		};
	}

	private static ExitCode emit(String document, @Nullable String output, PrintStream out) {
		if (output == null) {
			// UTF-8 bytes, not the stream's charset: a JVM without a locale (a container)
			// would print
			// a non-ASCII pointer as '?', and JSON is UTF-8 by definition
			out.writeBytes((document.endsWith("\n") ? document : document + "\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			return ExitCode.COMPLETED;
		}
		Path file = Path.of(output).toAbsolutePath().normalize();
		try {
			AtomicFile.write(file, document);
		}
		catch (IOException ex) {
			// not "run again to resume": nothing was running, the path is at fault
			throw new CommandRefusedException(ExitCode.NOT_STARTED, "Cannot write the report to " + file + ": "
					+ ex.getClass().getSimpleName() + " " + ex.getMessage());
		}
		out.println("Report written to " + file);
		return ExitCode.COMPLETED;
	}

	private CommandRefusedException unknownRun(long runId) {
		String pruned = this.history.schemaExists() ? this.prunedRuns.find(runId)
			.map((run) -> run.describe() + ", so its report is gone: `report` lists the runs kept")
			.orElse(null) : null;
		return new CommandRefusedException(ExitCode.NOT_STARTED, (pruned != null) ? pruned
				: "No run " + runId + " in schema " + this.jobSchema.name() + ": `report` lists the recorded runs");
	}

}
