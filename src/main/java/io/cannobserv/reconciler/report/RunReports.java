package io.cannobserv.reconciler.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * Builds a run's report from what was committed (the step's execution context and the
 * job's own tables), prints the summary and writes the JSON file.
 */
@Component
public class RunReports {

	/** Lines of each list printed on the console; the JSON file has them all. */
	private static final int CONSOLE_LIST_LIMIT = 20;

	private final JdbcTemplate jdbc;

	private final JobSchema jobSchema;

	private final JsonMapper jsonMapper;

	private final Path reportDir;

	public RunReports(JdbcTemplate jdbc, JobSchema jobSchema, JsonMapper jsonMapper, ReconcilerProperties properties) {
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
		this.jsonMapper = jsonMapper.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
		this.reportDir = properties.reportDir();
	}

	/**
	 * The report of the run that {@code execution} belongs to, as committed.
	 * @param execution the run's latest execution, finished
	 * @param mode the run's mode label
	 * @param exitCode the exit code the process will return
	 * @param firstStart when the run's first execution started
	 * @param executions how many executions the run has had
	 */
	public RunReport assemble(JobExecution execution, String mode, int exitCode, @Nullable LocalDateTime firstStart,
			int executions, RunReport.Brake brake) {
		long runId = execution.getJobInstance().getInstanceId();
		Long partition = execution.getJobParameters().getLong("partition");
		Long partitions = execution.getJobParameters().getLong("partitions");
		RunCounts counts = execution.getStepExecutions()
			.stream()
			.max(Comparator.comparing(StepExecution::getId))
			.map((step) -> RunCounts.from(step.getExecutionContext()))
			.orElse(RunCounts.ZERO);
		return new RunReport(runId, mode, (partition != null) ? partition.intValue() : 0,
				(partitions != null) ? partitions.intValue() : 1, execution.getStatus().name(), exitCode,
				failureOf(execution), instant(firstStart), instant(execution.getEndTime()), executions, counts, brake,
				cleared(runId), wouldClear(runId), skipped(runId));
	}

	/** Writes {@code run-<id>.json} atomically, so a reader never sees half a report. */
	public Path write(RunReport report) {
		try {
			Files.createDirectories(this.reportDir);
			Path target = this.reportDir.resolve("run-" + report.runId() + ".json");
			Path partial = this.reportDir.resolve("run-" + report.runId() + ".json.partial");
			this.jsonMapper.writeValue(partial.toFile(), report);
			return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the report to " + this.reportDir + ": " + ex.getMessage(), ex);
		}
	}

	/** The one-screen summary. */
	public void print(RunReport report, @Nullable Path file, PrintStream out) {
		RunCounts counts = report.counts();
		out.println();
		out.printf("Run %d (%s%s): %s, exit code %d%s%n", report.runId(), report.mode(),
				(report.partitions() > 1) ? ", partition " + report.partition() + " of " + report.partitions() : "",
				report.status(), report.exitCode(),
				(report.executions() > 1) ? ", resumed " + (report.executions() - 1) + " time(s)" : "");
		if (report.exitMessage() != null) {
			out.println("  stopped because: " + report.exitMessage());
		}
		if ("would-trip".equals(report.brake().state())) {
			out.println("  safety brake WOULD TRIP in apply mode: " + report.brake().message());
		}
		if (report.startedAt() != null && report.endedAt() != null) {
			out.printf("  started %s, ended %s, took %s%n", report.startedAt(), report.endedAt(),
					format(Duration.between(report.startedAt(), report.endedAt())));
		}
		out.printf("  checked %d: live %d, archived %d, gone %d, not-found-unconfirmed %d, malformed %d, mismatched %d, transient %d%n",
				counts.read(), counts.live(), counts.archived(), counts.gone(), counts.notFoundUnconfirmed(),
				counts.malformed(), counts.mismatched(), counts.transientCount());
		if ("apply".equals(report.mode())) {
			out.printf("  cleared %d, left alone because re-linked meanwhile %d%n", counts.cleared(),
					counts.changedConcurrently());
			list(out, "cleared", report.cleared().stream().map(RunReports::describe).toList());
		}
		else {
			out.printf("  would clear %d (dry run: nothing written; run with --apply to clear)%n", counts.wouldClear());
			list(out, "would clear", report.wouldClear().stream().map(RunReports::describe).toList());
		}
		list(out, "kept and reported", report.skipped()
			.stream()
			.map((s) -> s.infoItemId() + " -> " + PointerText.quoted(s.watcherItemId()) + "  " + s.verdict() + ": "
					+ s.reason())
			.toList());
		if (file != null) {
			out.println("  report: " + file.toAbsolutePath().normalize());
		}
	}

	private static void list(PrintStream out, String title, List<String> lines) {
		if (lines.isEmpty()) {
			return;
		}
		out.printf("  %s (%d):%n", title, lines.size());
		lines.stream().limit(CONSOLE_LIST_LIMIT).forEach((line) -> out.println("    " + line));
		if (lines.size() > CONSOLE_LIST_LIMIT) {
			out.printf("    … and %d more in the report file%n", lines.size() - CONSOLE_LIST_LIMIT);
		}
	}

	private List<ClearedPointer> cleared(long runId) {
		return this.jdbc.query("SELECT info_item_id, watcher_item_id FROM " + this.jobSchema.table("pointer_clear")
				+ " WHERE run_id = ? ORDER BY info_item_id", (rs, i) -> new ClearedPointer(rs.getString(1), rs.getString(2)),
				runId);
	}

	private List<ClearedPointer> wouldClear(long runId) {
		return this.jdbc.query("SELECT info_item_id, watcher_item_id FROM " + this.jobSchema.table("pointer_finding")
				+ " WHERE run_id = ? AND verdict = 'WOULD_CLEAR' ORDER BY info_item_id",
				(rs, i) -> new ClearedPointer(rs.getString(1), rs.getString(2)), runId);
	}

	private List<SkippedPointer> skipped(long runId) {
		return this.jdbc.query("SELECT info_item_id, watcher_item_id, verdict, evidence FROM "
				+ this.jobSchema.table("pointer_finding")
				+ " WHERE run_id = ? AND verdict <> 'WOULD_CLEAR' ORDER BY info_item_id",
				(rs, i) -> new SkippedPointer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
				runId);
	}

	private static String describe(ClearedPointer pointer) {
		return pointer.infoItemId() + " -> " + pointer.watcherItemId();
	}

	private static @Nullable Instant instant(@Nullable LocalDateTime time) {
		// Spring Batch stores local times of this JVM's zone
		return (time != null) ? time.atZone(ZoneId.systemDefault()).toInstant() : null;
	}

	/** The root cause of the first failure: the wrapper exceptions of the step say nothing useful. */
	public static @Nullable String failureOf(JobExecution execution) {
		List<Throwable> failures = execution.getAllFailureExceptions();
		if (failures.isEmpty()) {
			String description = execution.getExitStatus().getExitDescription();
			return (description == null || description.isBlank()) ? null : firstLine(description);
		}
		Throwable root = failures.get(0);
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return firstLine(root.getClass().getSimpleName() + ": " + root.getMessage());
	}

	private static String format(Duration duration) {
		return (duration.toMillis() < 10_000) ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
	}

	private static String firstLine(String text) {
		String line = text.lines().findFirst().orElse("");
		return (line.length() > 300) ? line.substring(0, 300) + "…" : line;
	}

}
