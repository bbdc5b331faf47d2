package io.cannobserv.reconciler.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.cannobserv.reconciler.WatcherReconcilerApplication;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportSchema;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.version.BuildVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code report} on the run history of two real runs (a dry run, then an apply run) of a
 * registry with junk pointers that must come out escaped. The runs are made once for the
 * class: every test only reads. The command line is run whole where its exit code and
 * error line are the point; the formats are rendered by the command in one shared
 * application context, as starting one per call would double the time of this class.
 */
class ReportCommandIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/**
	 * Pointers that break naive HTML or Markdown; malformed, so never sent to Watcher.
	 */
	static final List<String> HOSTILE_POINTERS = List.of("<script>alert(1)</script>", "x\" onmouseover=\"alert(1)",
			"01HZZ|`*_[É]&amp;");

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path reportDir;

	private static TestDatabase database;

	private static RegistryFixture registry;

	private static long dryRunId;

	private static long applyRunId;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void twoRuns() {
		database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			registry = RegistryFixture.create(archiver, watcher,
					Mix.none()
						.live(12)
						.archived(2)
						.gone(4)
						.notFoundUnconfirmed(4)
						.transientAlways(2)
						.mismatched(1)
						.malformed(2));
			for (int i = 0; i < HOSTILE_POINTERS.size(); i++) {
				archiver.insertItem(hostileItem(i), HOSTILE_POINTERS.get(i));
			}
			Result dryRun = ReconcilerRun.reconcile(database, watcher, reportDir, "--chunk-size=5");
			assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
			Result apply = ReconcilerRun.reconcile(database, watcher, reportDir, "--apply", "--chunk-size=5");
			assertThat(apply.exitCode()).as(apply.err()).isZero();
		}
		List<Long> runs = database.jdbc()
			.queryForList("SELECT run_id FROM " + JOB_SCHEMA + ".reconcile_run ORDER BY run_id", Long.class);
		assertThat(runs).hasSize(2);
		dryRunId = runs.get(0);
		applyRunId = runs.get(1);
		// no Watcher settings at all: report needs only the database
		context = new SpringApplicationBuilder(WatcherReconcilerApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(database.springArgs());
	}

	@AfterAll
	static void closeContext() {
		if (context != null) {
			context.close();
		}
	}

	static String hostileItem(int i) {
		return Ulids.of("01HZZXSS", i);
	}

	@Test
	void reconcileWhenRunEndsRecordsItInTheRunHistory() {
		Map<String, Object> apply = recordedRun(applyRunId);
		assertThat(apply).containsEntry("mode", "apply")
			.containsEntry("status", "COMPLETED")
			.containsEntry("exit_code", 0)
			.containsEntry("executions", 1)
			.containsEntry("read", 30L)
			.containsEntry("gone", 4L)
			.containsEntry("cleared", 4L)
			.containsEntry("would_clear", 0L)
			.containsEntry("transient", 2L)
			.containsEntry("not_found_unconfirmed", 4L)
			.containsEntry("malformed", 5L)
			.containsEntry("brake_state", "clear");
		assertThat(apply.get("started_at")).isNotNull();
		assertThat(apply.get("ended_at")).isNotNull();
		Map<String, Object> dryRun = recordedRun(dryRunId);
		assertThat(dryRun).containsEntry("mode", "dry-run")
			.containsEntry("would_clear", 4L)
			.containsEntry("cleared", 0L);
	}

	/**
	 * A row of the run history, its counts (one jsonb object) as columns named as they
	 * once were.
	 */
	private static Map<String, Object> recordedRun(long runId) {
		Map<String, Object> row = new java.util.LinkedHashMap<>(
				database.jdbc().queryForMap("SELECT * FROM " + JOB_SCHEMA + ".reconcile_run WHERE run_id = ?", runId));
		JsonNode counts = json.readTree(String.valueOf(row.remove("counts")));
		counts.properties()
			.forEach((count) -> row.put(count.getKey().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT),
					count.getValue().asLong()));
		return row;
	}

	@Test
	void reportWhenNoRunIsGivenListsRecentRunsNewestFirst() {
		Result result = render();

		assertThat(result.exitCode()).as(result.err()).isZero();
		List<String> lines = result.out().lines().toList();
		assertThat(lines.get(0)).startsWith("RUN")
			.contains("MODE", "PARTITION", "STATUS", "EXIT", "STARTED (UTC)", "DURATION", "CHECKED", "CLEARED",
					"RE-LINKED", "TRANSIENT", "UNCONFIRMED 404", "BRAKE", "VERSION");
		assertThat(columns(lines.get(1))).startsWith(String.valueOf(applyRunId), "apply", "-", "COMPLETED", "0")
			.endsWith("30", "4", "0", "2", "4", "clear", BuildVersion.current().label());
		assertThat(columns(lines.get(2))).startsWith(String.valueOf(dryRunId), "dry-run", "-", "COMPLETED", "0")
			.endsWith("30", "(4)", "(0)", "2", "4", "clear", BuildVersion.current().label());
		assertThat(lines.get(3)).isEqualTo(TextRunList.DRY_RUN_NOTE);
		assertThat(lines).hasSize(4);
	}

	@Test
	void reportWhenRunAsItsOwnProcessPrintsTheDocumentAndNothingElse() throws Exception {
		List<String> args = new ArrayList<>(List.of("report", "--run", String.valueOf(applyRunId), "--format", "json"));
		args.addAll(List.of(database.springArgs()));

		ChildJvm child = ChildJvm.start("report-json", args);

		assertThat(child.waitFor(Duration.ofSeconds(90))).as(child.tail(20)).isZero();
		// standard output and error together: no log line may end up in `report --format
		// json > run.json`
		assertThat(child.output()).isEqualTo(Files.readString(runFile(applyRunId)) + "\n");
	}

	@Test
	void reportWhenNoRunIsGivenAsJsonIsAnArrayOfRunSummaries() {
		Result result = render("--format=json");

		assertThat(result.exitCode()).as(result.err()).isZero();
		JsonNode runs = json.readTree(result.out());
		assertThat(runs.isArray()).isTrue();
		assertThat(runs).hasSize(2);
		assertThat(runs.get(0).get("runId").asLong()).isEqualTo(applyRunId);
		assertThat(runs.get(0).get("counts").get("cleared").asLong()).isEqualTo(4);
		assertThat(runs.get(0).has("cleared")).isFalse();
	}

	@Test
	void reportWhenRunIsGivenAsJsonEqualsTheRunFile() throws Exception {
		for (long runId : List.of(dryRunId, applyRunId)) {
			Result result = render("--run", String.valueOf(runId), "--format", "json");

			assertThat(result.exitCode()).as(result.err()).isZero();
			assertThat(result.out()).isEqualTo(Files.readString(runFile(runId)) + "\n");
			ReportSchema.assertValid(result.out());
		}
	}

	@Test
	void loadWhenReportFilesAreGoneRebuildsEachRunFromTheDatabaseAlone(@TempDir Path elsewhere) throws Exception {
		Path saved = elsewhere.resolve("run.json");
		Files.copy(runFile(applyRunId), saved);
		RunReport written = json.readValue(saved.toFile(), RunReport.class);
		Files.delete(runFile(applyRunId));
		RunReports runReports = context.getBean(RunReports.class);

		try {
			assertThat(runReports.load(applyRunId)).contains(written);
			assertThat(runReports.toJson(runReports.load(applyRunId).orElseThrow())).isEqualTo(Files.readString(saved));
			assertThat(runReports.load(dryRunId).orElseThrow().wouldClear())
				.extracting(RunReport.ClearedPointer::infoItemId)
				.containsExactlyElementsOf(registry.ids(PointerClass.GONE));
			assertThat(runReports.load(applyRunId + 1000)).isEmpty();
		}
		finally {
			Files.copy(saved, runFile(applyRunId));
		}
		assertThat(written.cleared()).extracting(RunReport.ClearedPointer::infoItemId)
			.containsExactlyElementsOf(registry.ids(PointerClass.GONE));
		assertThat(written.cleared()).allSatisfy((cleared) -> {
			assertThat(cleared.httpStatus()).isEqualTo(404);
			assertThat(cleared.evidence()).contains("WatchedItem not found");
		});
	}

	@Test
	void reportWhenRunIsGivenAsTextShowsTheSummaryAndEveryItem() {
		Result result = render("--run", String.valueOf(applyRunId));

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).startsWith("Run " + applyRunId + " (apply): COMPLETED, exit code 0")
			.contains(
					"checked 30: 12 live, 2 archived, 4 gone, 4 unconfirmed 404, 5 malformed, 1 mismatched, 2 transient")
			.contains("cleared 4, re-linked meanwhile 0\n")
			.contains("kept, to look at (12):")
			.contains("    transient (2): " + Outcome.TRANSIENT.action())
			// the rows to act on before the cleared ones; re-link's and the snapshot's,
			// both off, not at all
			.doesNotContain("moved")
			.doesNotContain("re-linked 0")
			.doesNotContain("from the snapshot");
		assertThat(result.out().indexOf("kept, to look at")).isLessThan(result.out().indexOf("  cleared (4):"));
		registry.ids(PointerClass.GONE).forEach((id) -> assertThat(result.out()).contains(id));
		registry.ids(PointerClass.TRANSIENT_ALWAYS).forEach((id) -> assertThat(result.out()).contains(id + " -> "));
		// PointerText shows a pointer with quotes in quotes, escaped
		assertThat(result.out()).contains("\"x\\\" onmouseover=\\\"alert(1)\"");
	}

	@Test
	void reportWhenRunIsGivenAsMarkdownFitsAChatMessage() {
		Result result = render("--run", String.valueOf(applyRunId), "--format=markdown");

		assertThat(result.exitCode()).as(result.err()).isZero();
		String md = result.out();
		assertThat(md).startsWith("### Watcher link reconciler: run " + applyRunId + "\n")
			.contains("**apply**, **COMPLETED**, exit code 0")
			.contains("| Checked | 30 |")
			.contains("| Transient | HTTP 503 ")
			.contains("| **Cleared** | 4 |")
			.contains("| Transient | 2 |")
			.contains("| Unconfirmed 404 | 4 |")
			.contains("- **Transient** (2): " + MarkdownReport.escape(Outcome.TRANSIENT.action()))
			.doesNotContain("| Moved |")
			.doesNotContain("| Re-linked |")
			.doesNotContain("| From the snapshot |")
			.contains("Safety brake: **clear**")
			.contains("**Cleared** (4):")
			.contains("- `" + registry.ids(PointerClass.GONE).get(0) + "` → `")
			.contains("**Kept, to look at** (12):")
			.contains("…and 2 more: `report --run " + applyRunId + " --format json` lists them all.");
		// ten rows of kept items, no more
		assertThat(md.lines().filter((line) -> line.startsWith("| `") || line.startsWith("| \\"))).hasSize(10);
		assertThat(md.length()).isLessThan(4000);
		assertThat(md.indexOf("**Kept, to look at**")).isLessThan(md.indexOf("**Cleared** (4)"));
		// pointers and Watcher's answers are escaped: no bare HTML, no broken table
		assertThat(md).contains("| \\<script\\>alert(1)\\</script\\> |").doesNotContainPattern("(?<!\\\\)<");
	}

	@Test
	void reportWhenRunIsGivenAsHtmlIsOneSelfContainedPageWithEverythingEscaped() {
		Result result = render("--run", String.valueOf(applyRunId), "--format", "html");

		assertThat(result.exitCode()).as(result.err()).isZero();
		String html = result.out();
		assertThat(html).startsWith("<!DOCTYPE html>")
			.contains("<meta charset=\"utf-8\">")
			.contains("<svg id=\"verdict-chart\"")
			.contains("<svg id=\"trend-chart\"")
			.contains("data-verdict=\"GONE\" data-outcome=\"cleared\" data-count=\"4\"")
			.contains("<tspan class=\"count\">4</tspan>")
			.contains("data-kpi=\"cleared\"");
		// no script, nothing fetched
		assertThat(html).doesNotContain("<script", "<link", "src=", "href=", "url(", "@import", "http://", "https://");
		// hostile pointers come out as text
		assertThat(html).contains("<td class=\"mono\">&lt;script&gt;alert(1)&lt;/script&gt;</td>")
			.contains("&quot;x\\&quot; onmouseover=\\&quot;alert(1)&quot;")
			.contains("01HZZ|`*_[É]&amp;amp;");
		// Watcher's evidence too: the nginx 404 page is an HTML document
		assertThat(html).contains("&lt;html&gt;").doesNotContain("<center>");
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(html).contains("<td class=\"mono\">" + id + "</td>");
		}
		// the kept rows, each verdict with what to do, before the cleared ones
		assertThat(html.indexOf("id=\"skipped\"")).isLessThan(html.indexOf("id=\"cleared\""));
		assertThat(html).contains(Html.text(Outcome.NOT_FOUND_UNCONFIRMED.action()))
			.doesNotContain("id=\"relinked\"")
			.doesNotContain("data-verdict=\"MOVED\"");
		// the trend has both runs, three series each
		assertThat(html.split("<circle class=\"point\"", -1)).hasSize(2 * 3 + 1);
	}

	@Test
	void reportWhenNoRunIsGivenAsMarkdownAndHtmlListsBothRuns() {
		Result markdown = render("--format=markdown");
		Result html = render("--format=html");

		assertThat(markdown.exitCode()).as(markdown.err()).isZero();
		assertThat(markdown.out()).contains("| " + applyRunId + " | apply |")
			.contains("| " + dryRunId + " | dry-run |")
			.contains("| RUN | MODE |");
		assertThat(html.exitCode()).as(html.err()).isZero();
		assertThat(html.out()).contains("<tr data-run=\"" + applyRunId + "\">")
			.contains("<tr data-run=\"" + dryRunId + "\">")
			.contains("<svg id=\"trend-chart\"");
	}

	@Test
	void reportWhenRunIsUnknownExitsTwoWithOneLine() {
		Result result = report("--run", "999999");

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().lines()).singleElement().asString().contains("No run 999999 in schema " + JOB_SCHEMA);
		assertThat(result.out()).isEmpty();
	}

	@Test
	void reportWhenFormatIsUnknownExitsTwoNamingTheAllowedFormats() {
		Result result = report("--format=pdf");

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().lines()).singleElement()
			.asString()
			.contains("Unknown --format 'pdf'")
			.contains("text, json, markdown, html");
	}

	@Test
	void reportWhenOutputIsGivenWritesTheFileAtomicallyInsteadOfPrinting(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("reports/nightly/run.json");

		Result result = report("--run", String.valueOf(applyRunId), "--format=json", "--output", file.toString());

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).isEqualTo("Report written to " + file.toAbsolutePath() + "\n");
		assertThat(Files.readString(file)).isEqualTo(Files.readString(runFile(applyRunId)));
		try (Stream<Path> files = Files.list(file.getParent())) {
			assertThat(files).containsExactly(file);
		}
		assertThatThrownBy(() -> render("--run", String.valueOf(applyRunId), "--output", dir.toString()))
			.isInstanceOfSatisfying(CommandRefusedException.class,
					(ex) -> assertThat(ex.exitCode()).isEqualTo(ExitCode.NOT_STARTED))
			.hasMessageStartingWith("Cannot write the report to " + dir);
		// the extension sets the format: another run's JSON replaces the file
		Result again = render("--run", String.valueOf(dryRunId), "--output=" + file);
		assertThat(again.exitCode()).isZero();
		assertThat(Files.readString(file)).isEqualTo(Files.readString(runFile(dryRunId)));
		try (Stream<Path> files = Files.list(file.getParent())) {
			assertThat(files).containsExactly(file);
		}
	}

	@Test
	void reportWhenTheSchemaIsNewSaysThereAreNoRunsAndCreatesNothing() {
		TestDatabase empty = TestPostgres.newDatabase();

		Result text = ReconcilerRun.run(args(empty, "report"));
		Result jsonList = ReconcilerRun.run(args(empty, "report", "--format=json"));

		assertThat(text.exitCode()).as(text.err()).isZero();
		assertThat(text.out()).isEqualTo(
				"No runs recorded yet in schema " + JOB_SCHEMA + ": a reconcile run is recorded here when it ends.\n");
		assertThat(jsonList.out()).isEqualTo("[]\n");
		assertThat(empty.jdbc()
			.queryForObject("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", Integer.class,
					JOB_SCHEMA))
			.isZero();
	}

	/** The command as the application runs it, in the shared context. */
	private static Result render(String... options) {
		List<String> args = new ArrayList<>(List.of("report"));
		args.addAll(List.of(options));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		// an ASCII console, as in a container without a locale: the documents must still
		// be UTF-8
		try (PrintStream stream = new PrintStream(out, true, StandardCharsets.US_ASCII)) {
			int exitCode = context.getBean(ReportCommand.class)
				.run(CommandLine.parse(args.toArray(String[]::new)), stream)
				.code();
			return new Result(exitCode, out.toString(StandardCharsets.UTF_8), "");
		}
	}

	/** The whole command line, in a context of its own. */
	private static Result report(String... options) {
		List<String> args = new ArrayList<>(List.of("report"));
		args.addAll(List.of(options));
		return ReconcilerRun.run(args(database, args.toArray(String[]::new)));
	}

	private static String[] args(TestDatabase database, String... args) {
		return Stream.concat(Stream.of(args), Stream.of(database.springArgs())).toArray(String[]::new);
	}

	private static Path runFile(long runId) {
		return reportDir.resolve("run-" + runId + ".json");
	}

	private static List<String> columns(String line) {
		return List.of(line.strip().split("\\s{2,}"));
	}

	@AfterAll
	static void noPartialFilesLeft() throws Exception {
		try (Stream<Path> files = Files.list(reportDir)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.allMatch((name) -> name.matches("run-\\d+\\.json"));
		}
	}

}
