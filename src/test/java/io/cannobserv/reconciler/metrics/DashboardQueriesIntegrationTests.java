package io.cannobserv.reconciler.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.NeedsTool;
import io.cannobserv.reconciler.support.NeedsTool.Tool;
import io.cannobserv.reconciler.support.Prometheus;
import io.cannobserv.reconciler.support.Prometheus.Series;
import io.cannobserv.reconciler.support.PrometheusText.Sample;
import io.cannobserv.reconciler.support.Pushgateway;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's panels, evaluated as Grafana would evaluate them: real runs of several
 * kinds push to a real Pushgateway, a real Prometheus scrapes it (and evaluates the alert
 * rules), and every panel's queries, with the dashboard's variables substituted, go
 * through Prometheus's {@code /api/v1/query}. Grafana itself is not packaged in Debian,
 * so the panels are built so that what they show follows from the query results alone:
 * each series of a panel has a legend of its own, the table's queries return the same
 * label sets (one per kind of run, so that Grafana's merge makes one row of each), and
 * the latency panel keeps the snapshot request apart from the lookups.
 */
@NeedsTool(Tool.PROMETHEUS)
class DashboardQueriesIntegrationTests {

	private static final Path MONITORING = Path.of("k8s/monitoring");

	private static final String JOB = "watcher-link-reconciler";

	/** The panel that shows a run while it works, and nothing otherwise. */
	private static final String RUN_IN_PROGRESS = "Run in progress";

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

	/** The labels that tell one kind of run (one Pushgateway group) from another. */
	private static final List<String> KIND = List.of("mode", "partition", "partitions");

	private static Pushgateway gateway;

	private static Prometheus prometheus;

	/** The kinds of run pushed, each as mode, partition, partitions. */
	private static final Set<List<String>> kinds = new LinkedHashSet<>();

	/** Those whose last run was refused before it started (exit 2). */
	private static final Set<List<String>> refused = new LinkedHashSet<>();

	@TempDir
	static Path reportDir;

	@BeforeAll
	static void runEveryKindAndScrape() throws Exception {
		gateway = Pushgateway.startOrSkip();
		prometheus = Prometheus.start(gateway.address(), List.of(MONITORING.resolve("alerts.rules.yaml")));
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			RegistryFixture.create(archiver, watcher, Mix.ofEach(2));
			// the nightly run, from a snapshot: one request for Watcher's list, lookups
			// for
			// the pointers it lacks
			run(database, watcher, 0, "--apply", "--strategy=snapshot");
			// a dry run by hand
			run(database, watcher, 0, "--concurrency=2");
			// the partitioned run, two partitions
			run(database, watcher, 0, "--apply", "--partition=0", "--partitions=2");
			run(database, watcher, 0, "--apply", "--partition=1", "--partitions=2");
			// a kind that never succeeded: refused before it started (no counts, no last
			// success)
			run(database, watcher, 2, "--partition=0", "--partitions=3", "--reconciler.watcher.api-key=revoked");
		}
		awaitScrapeOfEveryPush();
	}

	@AfterAll
	static void stop() {
		if (prometheus != null) {
			prometheus.close();
			prometheus = null;
		}
		if (gateway != null) {
			gateway.close();
			gateway = null;
		}
		kinds.clear();
		refused.clear();
	}

	@Test
	void dashboardWhenEvaluatedGivesEveryPanelSeriesEachWithALegendOfItsOwn() {
		for (String mode : List.of("apply", "dry-run")) {
			for (JsonNode panel : dashboard().path("panels")) {
				String title = panel.path("title").asString();
				if (title.equals(RUN_IN_PROGRESS)) {
					continue; // empty while no run works: evaluated during one below
				}
				Set<String> legends = new HashSet<>();
				for (JsonNode target : panel.path("targets")) {
					String expr = substitute(target.path("expr").asString(), mode);
					List<Series> series = prometheus.query(expr);
					// what each panel gets, for the reader of the test's output
					System.out.printf("%s (mode %s) %s: %s%n", title, mode, target.path("refId").asString(), series);
					assertThat(series).as("%s (mode %s): %s", title, mode, expr).isNotEmpty();
					if (isTable(panel)) {
						continue; // its columns are named by the table's own transform
					}
					String legendFormat = target.path("legendFormat").asString("");
					for (Series one : series) {
						Matcher label = LEGEND_LABEL.matcher(legendFormat);
						while (label.find()) {
							assertThat(one.labels())
								.as("%s: label %s of legend %s in %s", title, label.group(1), legendFormat, one)
								.containsKey(label.group(1));
						}
						String legend = LEGEND_LABEL.matcher(legendFormat)
							.replaceAll((m) -> one.labels().getOrDefault(m.group(1), ""));
						assertThat(legends.add(legend))
							.as("%s (mode %s): two series share the legend '%s' (%s)", title, mode, legend, expr)
							.isTrue();
					}
				}
			}
		}
	}

	@Test
	void runInProgressPanelWhileARunWorksShowsItsProgressAndOnceItEndedNothing() throws Exception {
		// given a dry run that takes seconds: each lookup waits, one at a time
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		JsonNode panel = panel(RUN_IN_PROGRESS);
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			RegistryFixture registry = RegistryFixture.create(archiver, watcher, Mix.none().live(15));
			registry.entries().forEach((entry) -> watcher.delayed(entry.watcherItemId(), entry.infoItemId(), 300));
			// when it works
			CompletableFuture<Void> running = CompletableFuture.runAsync(() -> run(database, watcher, 0,
					"--chunk-size=3", "--concurrency=1", "--reconciler.progress-interval=200ms"));
			// then each of the panel's queries shows it, with a legend of its own
			for (JsonNode target : panel.path("targets")) {
				String expr = substitute(target.path("expr").asString(), "dry-run");
				List<Series> series = awaitSeries(expr, running);
				assertThat(series).as("%s while the run works: %s", RUN_IN_PROGRESS, expr).hasSize(1);
				assertThat(series.get(0).labels()).as(expr)
					.containsEntry("partition", "0")
					.containsEntry("partitions", "1")
					.containsKey("table");
			}
			running.get(120, TimeUnit.SECONDS);
		}
		// and once it ended, its final push says it no longer runs: the panel empties
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (JsonNode target : panel.path("targets")) {
			String expr = substitute(target.path("expr").asString(), "dry-run");
			while (!prometheus.query(expr).isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(250);
			}
			assertThat(prometheus.query(expr)).as("%s after the run: %s", RUN_IN_PROGRESS, expr).isEmpty();
		}
	}

	/** The query's series once Prometheus has scraped a progress push of the run. */
	private static List<Series> awaitSeries(String expr, CompletableFuture<Void> running) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		List<Series> series = prometheus.query(expr);
		while (series.isEmpty() && !running.isDone() && System.nanoTime() < deadline) {
			Thread.sleep(100);
			series = prometheus.query(expr);
		}
		return series;
	}

	@Test
	void panelsOfTheLastRunWhenEvaluatedShowOneValuePerKindOfRunOfTheMode() {
		for (String mode : List.of("apply", "dry-run")) {
			Set<List<String>> ofMode = kindsOf(mode, kinds);
			// a run refused before it started pushed its exit code and nothing else
			Set<List<String>> ran = new LinkedHashSet<>(ofMode);
			ran.removeAll(refused);
			Map<String, Set<List<String>>> expected = new LinkedHashMap<>();
			expected.put("Exit code of the last run", ofMode);
			expected.put("Outcome of each run", ofMode);
			expected.put("Safety brake", ran);
			expected.put("Cleared by the last run", ran);
			expected.put("Run duration", ran);
			expected.forEach((title, shown) -> {
				String expr = substitute(panel(title).path("targets").get(0).path("expr").asString(), mode);
				List<Series> series = prometheus.query(expr);
				assertThat(series).as("%s (mode %s): %s", title, mode, expr)
					.extracting((one) -> kind(one.labels()))
					.containsExactlyInAnyOrderElementsOf(shown);
			});
		}
	}

	@Test
	void lastRunTableWhenEvaluatedHasOneRowPerKindOfRunFromIdenticalLabelSets() {
		JsonNode table = panel("Last run of each kind");
		assertThat(isTable(table)).isTrue();
		Map<String, Map<Map<String, String>, Series>> columns = new LinkedHashMap<>();
		Set<Map<String, String>> rows = null;
		for (JsonNode target : table.path("targets")) {
			assertThat(target.path("instant").asBoolean()).as("instant query %s", target).isTrue();
			assertThat(target.path("format").asString()).as("table format %s", target).isEqualTo("table");
			List<Series> series = prometheus.query(substitute(target.path("expr").asString(), "apply"));
			Map<Map<String, String>, Series> byLabels = new LinkedHashMap<>();
			series
				.forEach((one) -> assertThat(byLabels.put(one.labels(), one)).as("label sets of %s", target).isNull());
			columns.put("Value #" + target.path("refId").asString(), byLabels);
			if (rows == null) {
				rows = byLabels.keySet();
			}
			// the merge joins rows on the fields every frame has: all the labels, which
			// must therefore be the same in every query, and none that tells one column
			// from another (__name__, outcome)
			assertThat(byLabels.keySet())
				.as("label sets of %s, against the first query's", target.path("expr").asString())
				.isEqualTo(rows);
		}
		assertThat(rows).isNotNull();
		Set<List<String>> rowKinds = new TreeSet<>(DashboardQueriesIntegrationTests::compare);
		for (Map<String, String> row : rows) {
			assertThat(row).doesNotContainKeys("__name__", "outcome", "instance")
				.containsEntry("job", JOB)
				.containsEntry("command", "reconcile")
				.containsKeys("version", "commit");
			assertThat(rowKinds.add(kind(row))).as("one row of kind %s", kind(row)).isTrue();
		}
		assertThat(rowKinds).containsExactlyInAnyOrderElementsOf(kinds);

		// the columns hidden by the transform hold one value for every row: hiding them
		// changes nothing
		JsonNode transformations = table.path("transformations");
		assertThat(transformations).extracting((t) -> t.path("id").asString()).containsExactly("merge", "organize");
		JsonNode organize = transformations.get(1).path("options");
		for (String hidden : organize.path("excludeByName").propertyNames()) {
			if (!hidden.equals("Time")) {
				assertThat(rows).extracting((row) -> row.get(hidden))
					.as("hidden column %s", hidden)
					.containsOnly(rows.iterator().next().get(hidden));
			}
		}
		assertThat(organize.path("renameByName").propertyNames()).containsExactlyInAnyOrderElementsOf(columns.keySet());

		// and the cells say what the Pushgateway holds
		for (Map<String, String> row : rows) {
			Map<String, String> group = new LinkedHashMap<>();
			group.put("job", JOB);
			group.put("command", "reconcile");
			KIND.forEach((label) -> group.put(label, row.get(label)));
			List<Sample> pushed = gateway.group(group);
			Map<String, String> cells = new TreeMap<>();
			organize.path("renameByName")
				.properties()
				.forEach((entry) -> cells.put(entry.getValue().asString(),
						columns.get(entry.getKey()).get(row).value()));
			assertThat(cells.get("exit code")).as("%s", row)
				.isEqualTo(format(value(pushed, "reconciler_run_exit_code", null)));
			assertThat(cells.get("checked")).as("%s", row)
				.isEqualTo(format(value(pushed, "reconciler_run_pointers", "read")));
			assertThat(cells.get("brake")).as("%s", row)
				.isEqualTo(format(value(pushed, "reconciler_run_brake_tripped", null)));
			Double lastSuccess = value(pushed, "reconciler_run_last_success_timestamp_seconds", null);
			assertThat(cells.get("last success")).as("%s", row)
				.isEqualTo(format((lastSuccess != null) ? lastSuccess * 1000 : null));
			Double cleared = value(pushed, "reconciler_run_pointers", "cleared");
			Double wouldClear = value(pushed, "reconciler_run_pointers", "wouldClear");
			assertThat(cells.get("cleared (or would)")).as("%s", row)
				.isEqualTo(format((cleared != null) ? cleared + wouldClear : null));
		}
	}

	@Test
	void latencyPanelWhenEvaluatedKeepsTheSnapshotRequestApartFromLookups() {
		JsonNode panel = panel("Watcher latency");
		for (JsonNode target : panel.path("targets")) {
			List<Series> series = prometheus.query(substitute(target.path("expr").asString(), "apply"));
			assertThat(series).as(target.path("expr").asString())
				.allSatisfy((one) -> assertThat(one.labels()).containsOnlyKeys("endpoint"))
				.extracting((one) -> one.labels().get("endpoint"))
				.contains("item", "snapshot")
				.doesNotHaveDuplicates();
		}
		// the dry runs looked every pointer up by id: no snapshot
		for (JsonNode target : panel.path("targets")) {
			assertThat(prometheus.query(substitute(target.path("expr").asString(), "dry-run")))
				.extracting((one) -> one.labels().get("endpoint"))
				.containsExactly("item");
		}
	}

	@Test
	void variablesWhenQueriedOfferEveryEnvironmentsJob() {
		for (JsonNode variable : dashboard().path("templating").path("list")) {
			Matcher labelValues = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)")
				.matcher(variable.path("definition").asString(""));
			if (labelValues.matches()) {
				assertThat(prometheus.labelValues(labelValues.group(2), labelValues.group(1))).containsExactly(JOB);
			}
		}
	}

	@Test
	void alertRulesWhenEvaluatedOnRealGroupsHaveNoErrors() {
		Map<String, String> health = prometheus.ruleHealth();
		assertThat(health).isNotEmpty().allSatisfy((rule, state) -> assertThat(state).as(rule).isEqualTo("ok"));
	}

	private static void run(TestDatabase database, FakeWatcher watcher, int exitCode, String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--management.prometheus.metrics.export.pushgateway.enabled=true");
		args.add("--management.prometheus.metrics.export.pushgateway.address=" + gateway.address());
		Result result = ReconcilerRun.reconcile(database, watcher, reportDir, args.toArray(String[]::new));
		assertThat(result.exitCode()).as("%s%n%s", List.of(options), result.err()).isEqualTo(exitCode);
		String mode = args.contains("--apply") ? "apply" : "dry-run";
		String partition = option(args, "--partition=", "0");
		String partitions = option(args, "--partitions=", "1");
		kinds.add(List.of(mode, partition, partitions));
		if (exitCode == 2) {
			refused.add(List.of(mode, partition, partitions));
		}
	}

	private static String option(List<String> args, String prefix, String otherwise) {
		return args.stream()
			.filter((arg) -> arg.startsWith(prefix))
			.map((arg) -> arg.substring(prefix.length()))
			.findFirst()
			.orElse(otherwise);
	}

	/** Waits until Prometheus has scraped the last push of every group. */
	private static void awaitScrapeOfEveryPush() throws InterruptedException {
		Set<String> pushed = new TreeSet<>();
		gateway.metrics()
			.stream()
			.filter((sample) -> sample.name().equals("push_time_seconds"))
			.forEach((sample) -> pushed.add(format(sample.value())));
		assertThat(pushed).hasSizeGreaterThanOrEqualTo(kinds.size());
		long deadline = System.nanoTime() + 60_000_000_000L;
		Set<String> scraped = Set.of();
		while (System.nanoTime() < deadline) {
			scraped = new TreeSet<>();
			for (Series series : prometheus.query("push_time_seconds")) {
				scraped.add(format(series.number()));
			}
			if (scraped.equals(pushed)) {
				// and one evaluation of the rules on it
				Thread.sleep(2_000);
				return;
			}
			Thread.sleep(250);
		}
		assertThat(scraped).as("push times scraped by " + prometheus).isEqualTo(pushed);
	}

	private static String substitute(String expr, String mode) {
		return expr.replace("$job", JOB).replace("$mode", mode);
	}

	private static boolean isTable(JsonNode panel) {
		return "table".equals(panel.path("type").asString());
	}

	private static List<String> kind(Map<String, String> labels) {
		return KIND.stream().map(labels::get).toList();
	}

	private static Set<List<String>> kindsOf(String mode, Set<List<String>> all) {
		Set<List<String>> ofMode = new LinkedHashSet<>();
		all.stream().filter((kind) -> kind.get(0).equals(mode)).forEach(ofMode::add);
		return ofMode;
	}

	private static int compare(List<String> a, List<String> b) {
		return a.toString().compareTo(b.toString());
	}

	/** The pushed value of {@code name} (with {@code outcome}), or null. */
	private static Double value(List<Sample> group, String name, String outcome) {
		return group.stream()
			.filter((sample) -> sample.name().equals(name)
					&& (outcome == null || outcome.equals(sample.labels().get("outcome"))))
			.map(Sample::value)
			.findFirst()
			.orElse(null);
	}

	/** A number as Prometheus writes it; a figure that was not pushed is NaN. */
	private static String format(Double value) {
		if (value == null || value.isNaN()) {
			return "NaN";
		}
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? String.valueOf(value.longValue())
				: String.valueOf(value);
	}

	private static JsonNode panel(String title) {
		for (JsonNode panel : dashboard().path("panels")) {
			if (panel.path("title").asString().equals(title)) {
				return panel;
			}
		}
		throw new AssertionError("no panel '" + title + "' in the dashboard");
	}

	private static JsonNode dashboard() {
		try {
			return JsonMapper.builder().build().readTree(Files.readString(MONITORING.resolve("dashboard.json")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
