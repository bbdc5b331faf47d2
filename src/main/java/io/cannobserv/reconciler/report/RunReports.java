package io.cannobserv.reconciler.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.RelinkedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RequestsInFlight;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.run.Words;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * Builds a run's report from what was committed (the step's execution context and the
 * job's own tables), records it in the run history, prints the summary and writes the
 * JSON file. {@link #load(long)} rebuilds the same report later from the database alone.
 */
@Component
public class RunReports {

	private static final Logger logger = LoggerFactory.getLogger(RunReports.class);

	private static final String RELINK_COLUMNS = "info_item_id, watcher_item_id, relinked_to, http_status, evidence,"
			+ " list_evidence, confirm_evidence";

	/** Lines of each list printed on the console; the JSON file has them all. */
	private static final int CONSOLE_LIST_LIMIT = 20;

	private final JdbcTemplate jdbc;

	private final RunHistory history;

	private final JobSchema jobSchema;

	private final JsonMapper jsonMapper;

	private final Path reportDir;

	private final Words words;

	RunReports(JdbcTemplate jdbc, RunHistory history, JobSchema jobSchema, JsonMapper jsonMapper,
			ReconcilerProperties properties, Words words) {
		this.words = words;
		this.jdbc = jdbc;
		this.history = history;
		this.jobSchema = jobSchema;
		this.jsonMapper = jsonMapper.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
		this.reportDir = properties.reportDir();
	}

	/**
	 * The report of the run that {@code execution} belongs to, as committed.
	 * @param execution the run's latest execution, finished
	 * @param identity the run's mode, partition and table
	 * @param exitCode the exit code the process will return
	 * @param exitMessage why the run stopped, when it did not complete
	 * @param firstStart when the run's first execution started
	 * @param workedMillis how long its executions worked, together
	 * @param executions how many executions the run has had
	 * @param counts what the run's steps committed
	 * @param brake the brake's state
	 * @param strategy how Watcher was asked
	 * @param relink whether moved pointers were re-linked
	 * @param snapshot the snapshot the first pass took last, or null
	 */
	public RunReport assemble(JobExecution execution, RunIdentity identity, int exitCode, @Nullable String exitMessage,
			@Nullable LocalDateTime firstStart, long workedMillis, int executions, RunCounts counts,
			RunReport.Brake brake, Strategy strategy, @Nullable String strategyReason, boolean relink,
			RunReport.@Nullable Snapshot snapshot, @Nullable RequestsInFlight requestsInFlight) {
		long runId = execution.getJobInstance().getInstanceId();
		long upTo = execution.getId();
		return new RunReport(RunReport.SCHEMA_VERSION, runId, identity.mode(), identity.table(), identity.partition(),
				identity.partitions(), execution.getStatus().name(), exitCode, exitMessage, instant(firstStart),
				instant(execution.getEndTime()), workedMillis, executions, BuildVersion.current(), counts, brake,
				strategy, strategyReason, relink, snapshot, requestsInFlight, cleared(runId, upTo),
				wouldClear(runId, upTo), relinked(runId, upTo), wouldRelink(runId, upTo), skipped(runId, upTo));
	}

	/**
	 * Records the run's figures in the run history ({@code reconcile_run}), replacing
	 * those of its earlier executions. Its items are already in the database, written
	 * with each chunk.
	 * @param report the run's report, as {@link #assemble assembled}
	 * @param jobExecutionId the execution that just ended
	 */
	public void save(RunReport report, long jobExecutionId) {
		this.history.save(report.summary(), jobExecutionId);
	}

	/**
	 * The report of a run rebuilt from the database alone, equal to the one written at
	 * the end of its latest recorded execution.
	 * @param runId the run (job instance) id
	 * @return the report, or empty when no execution of that run has been recorded
	 */
	public Optional<RunReport> load(long runId) {
		return this.history.find(runId).map((run) -> {
			long upTo = run.lastJobExecutionId();
			return run.summary()
				.report(cleared(runId, upTo), wouldClear(runId, upTo), relinked(runId, upTo), wouldRelink(runId, upTo),
						skipped(runId, upTo));
		});
	}

	/**
	 * Writes {@link #file run-<id>.json} atomically, so a reader never sees half a
	 * report. A file of that name that holds another run (one of another database, or of
	 * a job schema made anew, whose ids start again at 1: its first start differs) is
	 * never overwritten: it is kept beside, named after that run's start, and a warning
	 * says where.
	 */
	public Path write(RunReport report) {
		Path target = file(report);
		try {
			keepAnotherRunsFile(target, report);
			AtomicFile.write(target, toJson(report));
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the report to " + this.reportDir + ": " + ex.getMessage(), ex);
		}
	}

	private void keepAnotherRunsFile(Path target, RunReport report) throws IOException {
		if (!Files.isRegularFile(target)) {
			return;
		}
		String started;
		try {
			JsonNode existing = this.jsonMapper.readTree(target.toFile());
			started = existing.path("startedAt").asString("");
			if (existing.path("runId").asLong(-1) == report.runId()
					&& started.equals(String.valueOf(report.startedAt()))) {
				// an earlier execution of this run: replaced, as every execution does
				return;
			}
		}
		catch (JacksonException ex) {
			started = "";
		}
		String stamp = started.isEmpty() ? "unreadable-" + Files.getLastModifiedTime(target).toMillis()
				: "started-" + started.replaceAll("[^0-9TZ]", "");
		Path aside = target.resolveSibling("run-" + report.runId() + "." + stamp + ".json");
		Files.move(target, aside, StandardCopyOption.REPLACE_EXISTING);
		logger.warn(
				"{} held the report of another run {} (started {}: another database, or a job schema made anew); "
						+ "kept as {}. Give each database its own --report-dir",
				target, report.runId(), started.isEmpty() ? "unknown" : started, aside.getFileName());
	}

	/** Where the report file of {@code report}'s run is written. */
	public Path file(RunReport report) {
		return this.reportDir.resolve("run-" + report.runId() + ".json");
	}

	/** The report as its JSON file has it. */
	String toJson(Object document) {
		return this.jsonMapper.writeValueAsString(document);
	}

	/**
	 * The report in Markdown, as {@code report --format markdown} writes it: short enough
	 * for a chat message.
	 */
	public String markdown(RunReport report) {
		return MarkdownReport.run(report, words(report));
	}

	/**
	 * What {@code report} calls its things: the link's words for a run of the link's
	 * table, plain ones for another table's (a report asked of a process given another
	 * link).
	 */
	public Words words(RunReport report) {
		return this.words.forTable(report.table());
	}

	/** {@code text} escaped for a line or a table cell of Markdown. */
	public static String markdownText(String text) {
		return MarkdownReport.escape(text);
	}

	/** The one-screen summary. */
	public void print(RunReport report, @Nullable Path file, PrintStream out) {
		print(report, file, out, CONSOLE_LIST_LIMIT, "in the report file");
	}

	/**
	 * The summary.
	 * @param limit lines of each list
	 * @param elsewhere where the lines past the limit are, as in "and 3 more
	 * {@code elsewhere}"
	 */
	void print(RunReport report, @Nullable Path file, PrintStream out, int limit, String elsewhere) {
		Words words = words(report);
		RunCounts counts = report.counts();
		RunSummary run = report.summary();
		out.println();
		out.printf("Run %d (%s%s): %s, exit code %d%s%n", report.runId(), report.mode().label(),
				(report.partitions() > 1) ? ", partition " + report.partition() + " of " + report.partitions() : "",
				run.halted() ? RunSummary.HALTED + " by the safety brake" : report.status(), report.exitCode(),
				(report.executions() > 1) ? ", resumed " + (report.executions() - 1) + " time(s)" : "");
		out.println("  table " + report.table());
		out.println("  version " + Figures.build(report.build()));
		if (report.exitMessage() != null && !run.halted()) {
			out.println("  stopped because: " + report.exitMessage());
		}
		if (report.startedAt() != null && report.endedAt() != null) {
			out.printf("  started %s, %s%n", report.startedAt(), run.durations());
		}
		out.println("  " + describeStrategy(report, words));
		// the verdicts found: a zero says nothing on one screen, and the JSON report has
		// every count
		String found = Outcome.verdicts()
			.stream()
			.filter((verdict) -> counts.get(verdict) > 0)
			.map((verdict) -> counts.get(verdict) + " " + verdict.lowerLabel())
			.collect(Collectors.joining(", "));
		out.printf("  %s %d%s%n", Outcome.READ.lowerLabel(), counts.get(Outcome.READ),
				found.isEmpty() ? "" : (": " + found));
		out.println("  " + writes(report));
		brake(report, out, limit, elsewhere, words);
		Map<Outcome, List<SkippedPointer>> kept = Actions.kept(report.skipped());
		if (!kept.isEmpty()) {
			out.printf("  kept, to look at (%d):%n", report.skipped().size());
			kept.forEach((outcome, pointers) -> {
				out.printf("    %s (%d): %s%n", outcome.lowerLabel(), pointers.size(),
						Actions.action(outcome, report.runId(), words));
				list(out, "      ", pointers.stream()
					.map((s) -> s.infoItemId() + " -> " + PointerText.quoted(s.watcherItemId()) + "  " + s.reason())
					.toList(), limit, elsewhere);
			});
		}
		if (report.mode() == RunMode.APPLY) {
			titled(out, Outcome.CLEARED, report.runId(), report.cleared().stream().map(RunReports::describe).toList(),
					limit, elsewhere, words);
			titled(out, Outcome.RELINKED, report.runId(), report.relinked().stream().map(RunReports::describe).toList(),
					limit, elsewhere, words);
		}
		else {
			titled(out, Outcome.WOULD_CLEAR, report.runId(),
					report.wouldClear().stream().map(RunReports::describe).toList(), limit, elsewhere, words);
			titled(out, Outcome.WOULD_RELINK, report.runId(),
					report.wouldRelink().stream().map(RunReports::describe).toList(), limit, elsewhere, words);
		}
		if (file != null) {
			out.println("  report: " + file.toAbsolutePath().normalize());
		}
	}

	/** What the run wrote, or a dry run would: {@code cleared 150, …}. */
	private static String writes(RunReport report) {
		RunCounts counts = report.counts();
		List<String> parts = new ArrayList<>();
		for (Outcome outcome : Outcome.values()) {
			if (outcome.isWrite() && Actions.shown(report, outcome)) {
				parts.add(outcome.lowerLabel() + " " + counts.get(outcome));
			}
		}
		String notes = (report.mode() == RunMode.APPLY)
				? ((report.brake().notWritten() > 0)
						? " (would clear: of the chunk the brake halted, judged and not written)" : "")
				: " (dry run: nothing written; --apply writes)";
		return String.join(", ", parts) + notes;
	}

	/**
	 * The halt, or the trip a dry run foresaw: which limit, the pointers to judge, and
	 * the exact commands to run next.
	 */
	private static void brake(RunReport report, PrintStream out, int limit, String elsewhere, Words words) {
		RunReport.Brake brake = report.brake();
		if (brake.state() == BrakeState.CLEAR) {
			return;
		}
		if (brake.state() == BrakeState.TRIPPED) {
			out.printf("  safety brake: halted before writing a chunk of %d pointers: %s%n", brake.notWritten(),
					brake.message());
			List<String> judge = new ArrayList<>();
			report.wouldClear().forEach((pointer) -> judge.add(describe(pointer) + "  " + pointer.evidence()));
			report.wouldRelink().forEach((pointer) -> judge.add(describe(pointer) + "  " + pointer.confirmEvidence()));
			if (!judge.isEmpty()) {
				out.printf("  to judge: the %d pointer(s) that chunk would clear or re-link, with %s's answer:%n",
						judge.size(), words.api());
				list(out, "    ", judge, limit, elsewhere);
			}
		}
		else {
			out.println("  safety brake: an applying run would halt: " + brake.message());
		}
		out.println("  next:");
		for (Actions.Step step : Actions.next(report, words)) {
			out.println("    " + step.command() + "    # " + step.why());
		}
	}

	private static void titled(PrintStream out, Outcome outcome, long runId, List<String> lines, int limit,
			String elsewhere, Words words) {
		if (lines.isEmpty()) {
			return;
		}
		out.printf("  %s (%d): %s%n", outcome.lowerLabel(), lines.size(), Actions.action(outcome, runId, words));
		list(out, "    ", lines, limit, elsewhere);
	}

	private static void list(PrintStream out, String indent, List<String> lines, int limit, String elsewhere) {
		lines.stream().limit(limit).forEach((line) -> out.println(indent + line));
		if (lines.size() > limit) {
			out.printf("%s… and %d more %s%n", indent, lines.size() - limit, elsewhere);
		}
	}

	// The item queries read up to a given execution, so that a report rebuilt while a
	// resumed
	// execution is still writing equals the one written when the recorded execution
	// ended.
	// COLLATE "C": the same order whatever the database's locale (ULIDs sort by bytes).

	private List<ClearedPointer> cleared(long runId, long upToExecution) {
		return this.jdbc.query("SELECT info_item_id, watcher_item_id, http_status, evidence FROM "
				+ this.jobSchema.table("pointer_clear")
				+ " WHERE run_id = ? AND job_execution_id <= ? AND relinked_to IS NULL ORDER BY info_item_id COLLATE \"C\"",
				(rs, i) -> new ClearedPointer(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)), runId,
				upToExecution);
	}

	private List<RelinkedPointer> relinked(long runId, long upToExecution) {
		return this.jdbc.query("SELECT " + RELINK_COLUMNS + " FROM " + this.jobSchema.table("pointer_clear")
				+ " WHERE run_id = ? AND job_execution_id <= ? AND relinked_to IS NOT NULL"
				+ " ORDER BY info_item_id COLLATE \"C\"", RunReports::relinkedPointer, runId, upToExecution);
	}

	/**
	 * The findings of a run up to an execution that have {@code verdicts} (or any other
	 * verdict, when {@code others}), merged with the halted chunk of that execution,
	 * which replaces any finding of its pointers: a recheck that halted judged them anew.
	 * Only the last execution's halt counts: a resume judged that chunk again.
	 */
	private <T> List<T> findings(String columns, long runId, long upToExecution, boolean others, List<String> verdicts,
			RowMapper<T> rowMapper) {
		String in = String.join(", ", verdicts.stream().map((v) -> "?").toList());
		String verdictFilter = (others ? " NOT IN (" : " IN (") + in + ")";
		String halted = this.jobSchema.table("brake_halt_pointer");
		String sql = "SELECT * FROM (SELECT " + columns + " FROM " + this.jobSchema.table("pointer_finding")
				+ " f WHERE run_id = ? AND job_execution_id <= ? AND verdict" + verdictFilter + " AND NOT EXISTS"
				+ " (SELECT 1 FROM " + halted + " h WHERE h.job_execution_id = ? AND h.info_item_id = f.info_item_id)"
				+ " UNION ALL SELECT " + columns + " FROM " + halted + " WHERE job_execution_id = ? AND verdict IN ("
				+ String.join(", ", haltedVerdicts(others, verdicts).stream().map((v) -> "?").toList())
				+ ")) items ORDER BY info_item_id COLLATE \"C\"";
		List<Object> arguments = new ArrayList<>(List.of(runId, upToExecution));
		arguments.addAll(verdicts);
		arguments.add(upToExecution);
		arguments.add(upToExecution);
		arguments.addAll(haltedVerdicts(others, verdicts));
		return this.jdbc.query(sql, rowMapper, arguments.toArray());
	}

	/**
	 * The verdicts of a halted chunk's pointers that a list shows: those named, or the
	 * reported ones that are not.
	 */
	private static List<String> haltedVerdicts(boolean others, List<String> verdicts) {
		if (!others) {
			return verdicts;
		}
		return Arrays.stream(Outcome.values())
			.filter(Outcome::isReported)
			.map(Outcome::name)
			.filter((name) -> !verdicts.contains(name))
			.toList();
	}

	private List<RelinkedPointer> wouldRelink(long runId, long upToExecution) {
		return findings(RELINK_COLUMNS, runId, upToExecution, false, List.of(Outcome.WOULD_RELINK.name()),
				RunReports::relinkedPointer);
	}

	private static RelinkedPointer relinkedPointer(ResultSet rs, int row) throws SQLException {
		return new RelinkedPointer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
				rs.getString(6), rs.getString(7));
	}

	private List<ClearedPointer> wouldClear(long runId, long upToExecution) {
		return findings("info_item_id, watcher_item_id, http_status, evidence", runId, upToExecution, false,
				List.of(Outcome.WOULD_CLEAR.name()),
				(rs, i) -> new ClearedPointer(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
	}

	private List<SkippedPointer> skipped(long runId, long upToExecution) {
		// the JSON names a verdict as its counts do
		return findings("info_item_id, watcher_item_id, verdict, http_status, evidence", runId, upToExecution, true,
				List.of(Outcome.WOULD_CLEAR.name(), Outcome.WOULD_RELINK.name()),
				(rs, i) -> new SkippedPointer(rs.getString(1), rs.getString(2),
						Outcome.find(rs.getString(3)).map(Outcome::jsonName).orElse(rs.getString(3)), rs.getInt(4),
						rs.getString(5)));
	}

	private static String describe(ClearedPointer pointer) {
		return pointer.infoItemId() + " -> " + pointer.watcherItemId();
	}

	private static String describe(RelinkedPointer pointer) {
		return pointer.infoItemId() + " -> " + pointer.watcherItemId() + ", now -> " + pointer.relinkedTo();
	}

	/**
	 * {@code strategy per-item, no re-link}, or the snapshot's figures, or why it was not
	 * used; with why {@code auto} chose the strategy, where it did; then the requests in
	 * flight.
	 */
	static String describeStrategy(RunReport report, Words words) {
		RequestsInFlight requests = report.requestsInFlight();
		return strategy(report, words) + ((requests != null) ? "; requests in flight " + requests.describe() : "");
	}

	private static String strategy(RunReport report, Words words) {
		String relink = report.relink() ? "re-link on" : "no re-link";
		String strategy = "strategy " + report.strategy().label()
				+ ((report.strategyReason() != null) ? " (" + report.strategyReason() + ")" : "");
		RunReport.Snapshot snapshot = report.snapshot();
		if (report.strategy() != Strategy.SNAPSHOT || snapshot == null) {
			return strategy + ", " + relink;
		}
		if (!snapshot.used()) {
			return strategy + ", NOT USED (" + snapshot.reason() + "): every pointer looked up by id, " + relink;
		}
		return String.format(Locale.ROOT,
				"strategy snapshot (%s%d %ss in %.1f s, %d request(s); %d pointers "
						+ "decided from it, the others looked up by id), %s",
				(report.strategyReason() != null) ? report.strategyReason() + "; " : "", snapshot.items(), words.item(),
				snapshot.millis() / 1000.0, snapshot.requests(), report.counts().get(Outcome.FROM_SNAPSHOT), relink);
	}

	private static @Nullable Instant instant(@Nullable LocalDateTime time) {
		// Spring Batch stores local times of this JVM's zone. Microseconds, as PostgreSQL
		// keeps them: the file and the report rebuilt from the run history must be equal.
		return (time != null) ? time.atZone(ZoneId.systemDefault()).toInstant().truncatedTo(ChronoUnit.MICROS) : null;
	}

	/**
	 * The root cause of the first failure: the wrapper exceptions of the step say nothing
	 * useful.
	 */
	public static @Nullable String failureOf(JobExecution execution) {
		List<Throwable> failures = execution.getAllFailureExceptions();
		if (failures.isEmpty()) {
			String description = execution.getExitStatus().getExitDescription();
			return (description == null || description.isBlank()) ? null : firstLine(description);
		}
		Throwable root = Failures.root(failures.get(0));
		return firstLine(root.getClass().getSimpleName() + ": " + root.getMessage());
	}

	private static String firstLine(String text) {
		String line = text.lines().findFirst().orElse("");
		return (line.length() > 300) ? line.substring(0, 300) + "…" : line;
	}

}
