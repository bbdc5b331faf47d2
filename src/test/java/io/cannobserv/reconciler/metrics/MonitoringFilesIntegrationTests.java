package io.cannobserv.reconciler.metrics;

import java.io.IOException;
import java.io.Reader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.metrics.PromQlSelectors.Selector;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.PrometheusText;
import io.cannobserv.reconciler.support.PrometheusText.Sample;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the dashboard under {@code k8s/monitoring/} ask only for metrics,
 * labels and label values the job really pushes: a real run pushes to a stand-in
 * Pushgateway (WireMock), and every series selector in the rules and the dashboard is
 * checked against that push, its grouping key included. A misspelt metric or label value
 * would otherwise make an alert that can never fire, silently.
 */
class MonitoringFilesIntegrationTests {

	private static final Path MONITORING = Path.of("k8s/monitoring");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");

	/**
	 * Every sample of the push, with the grouping key's labels, as Prometheus would
	 * scrape it.
	 */
	private static List<Sample> pushed;

	@TempDir
	static Path reportDir;

	@BeforeAll
	static void pushOneRun() {
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		WireMockServer gateway = new WireMockServer(wireMockConfig().dynamicPort());
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			gateway.start();
			gateway.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
			// every verdict, so that every outcome and status class is pushed
			RegistryFixture.create(archiver, watcher, Mix.ofEach(2));
			Result result = ReconcilerRun.reconcile(database, watcher, reportDir, "--apply",
					"--management.prometheus.metrics.export.pushgateway.enabled=true",
					"--management.prometheus.metrics.export.pushgateway.address=localhost:" + gateway.port(),
					"--management.prometheus.metrics.export.pushgateway.format=text");
			assertThat(result.exitCode()).as(result.err()).isZero();
			List<LoggedRequest> pushes = gateway.findAll(anyRequestedFor(anyUrl()));
			LoggedRequest last = pushes.get(pushes.size() - 1);
			pushed = withGroupingKey(PrometheusText.parse(last.getBodyAsString()), last.getUrl());
		}
		finally {
			gateway.stop();
		}
	}

	@AfterAll
	static void forget() {
		pushed = null;
	}

	@Test
	void alertRulesWhenParsedSelectOnlySeriesTheJobPushes() throws IOException {
		List<String> exprs = new ArrayList<>();
		for (Map<String, Object> group : maps(yaml(MONITORING.resolve("alerts.rules.yaml")), "groups")) {
			for (Map<String, Object> rule : maps(group, "rules")) {
				exprs.add((String) rule.get("expr"));
			}
		}
		assertThat(exprs).hasSize(7);
		Set<String> used = checkSelectors("alerts.rules.yaml", exprs);
		assertThat(used).contains("reconciler_run_brake_tripped", "reconciler_run_exit_code",
				"reconciler_run_last_success_timestamp_seconds", "reconciler_run_pointers", "reconciler_run_running",
				"reconciler_run_progress_last_commit_timestamp_seconds");
	}

	@Test
	void dashboardWhenParsedIsAGrafanaDashboardSelectingOnlySeriesTheJobPushes() throws IOException {
		JsonNode dashboard = dashboard();
		assertThat(dashboard.path("uid").asString()).isEqualTo("watcher-link-reconciler");
		assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
		List<String> variables = new ArrayList<>();
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			variables.add(variable.path("name").asString());
			String definition = variable.path("definition").asString("");
			Matcher labelValues = LABEL_VALUES.matcher(definition);
			if (labelValues.matches()) {
				// Grafana's label_values(metric, label): both must be pushed
				assertThat(PrometheusText.names(pushed)).as(definition).contains(labelValues.group(1));
				assertThat(pushed).as(definition)
					.anyMatch((sample) -> sample.name().equals(labelValues.group(1))
							&& sample.labels().containsKey(labelValues.group(2)));
			}
		}
		assertThat(variables).contains("datasource", "job", "mode");
		List<String> exprs = new ArrayList<>();
		Set<Integer> ids = new HashSet<>();
		JsonNode panels = dashboard.path("panels");
		assertThat(panels.isArray()).isTrue();
		for (JsonNode panel : panels) {
			String title = panel.path("title").asString();
			assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
			assertThat(panel.path("gridPos").path("w").asInt()).as("width of %s", title).isBetween(1, 24);
			assertThat(panel.path("datasource").path("uid").asString()).as("datasource of %s", title)
				.isEqualTo("${datasource}");
			assertThat(panel.path("targets").isEmpty()).as("queries of %s", title).isFalse();
			panel.path("targets").forEach((target) -> exprs.add(target.path("expr").asString()));
		}
		Set<String> used = checkSelectors("dashboard.json", exprs);
		// the panels an operator needs: outcomes, brake, last success, verdicts, Watcher,
		// duration
		assertThat(used).contains("reconciler_run_exit_code", "reconciler_run_brake_tripped",
				"reconciler_run_last_success_timestamp_seconds", "reconciler_run_pointers",
				"reconciler_watcher_requests_seconds_count", "reconciler_watcher_requests_seconds_sum",
				"reconciler_watcher_requests_seconds_max", "reconciler_watcher_retries_total",
				"reconciler_run_duration_seconds", "reconciler_build_info", "reconciler_run_running",
				"reconciler_run_progress_pointers", "reconciler_run_progress_total_pointers",
				"reconciler_run_progress_last_commit_timestamp_seconds");
	}

	@Test
	void dashboardWhenParsedShowsEveryVerdictAndEveryWrite() throws IOException {
		// its outcome panels pick outcomes by name: one added to Outcome must be added
		// there
		Set<String> shown = new TreeSet<>();
		for (JsonNode panel : dashboard().path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				for (Selector selector : PromQlSelectors.of(target.path("expr").asString())) {
					if ("reconciler_run_pointers".equals(selector.metric())) {
						selector.matchers()
							.stream()
							.filter((matcher) -> matcher.label().equals("outcome"))
							.forEach((matcher) -> shown.addAll(List.of(matcher.value().split("\\|"))));
					}
				}
			}
		}
		List<String> verdictsAndWrites = Arrays.stream(Outcome.values())
			.filter((outcome) -> outcome.isVerdict() || outcome.isWrite())
			.map(Outcome::jsonName)
			.toList();
		assertThat(shown).as("outcomes on the dashboard's panels").containsAll(verdictsAndWrites);
	}

	private static JsonNode dashboard() throws IOException {
		return JsonMapper.builder().build().readTree(Files.readString(MONITORING.resolve("dashboard.json")));
	}

	/** Checks every selector of {@code exprs}, and returns the metric names they use. */
	private static Set<String> checkSelectors(String file, List<String> exprs) {
		Set<String> names = PrometheusText.names(pushed);
		Set<String> used = new TreeSet<>();
		for (String expr : exprs) {
			List<Selector> selectors = PromQlSelectors.of(expr);
			assertThat(selectors).as("series selectors in %s: %s", file, expr).isNotEmpty();
			for (Selector selector : selectors) {
				assertThat(selector.metric()).as("a metric name in every selector of %s: %s", file, expr).isNotNull();
				assertThat(names).as("metric %s in %s: %s", selector.metric(), file, expr).contains(selector.metric());
				used.add(selector.metric());
				List<Sample> series = pushed.stream()
					.filter((sample) -> sample.name().equals(selector.metric()))
					.toList();
				for (PromQlSelectors.Matcher matcher : selector.matchers()) {
					checkMatcher(file, expr, selector.metric(), series, matcher);
				}
			}
		}
		return used;
	}

	private static void checkMatcher(String file, String expr, String metric, List<Sample> series,
			PromQlSelectors.Matcher matcher) {
		Set<String> values = new TreeSet<>();
		series.forEach((sample) -> {
			if (sample.labels().containsKey(matcher.label())) {
				values.add(sample.labels().get(matcher.label()));
			}
		});
		String where = String.format("%s{%s%s\"%s\"} in %s: %s", metric, matcher.label(), matcher.operator(),
				matcher.value(), file, expr);
		assertThat(values).as("values of label %s pushed with %s", matcher.label(), where).isNotEmpty();
		if (matcher.value().contains("$")) {
			return; // a Grafana variable
		}
		if (matcher.operator().equals("=")) {
			assertThat(values).as("a pushed value for %s", where).contains(matcher.value());
		}
		else if (matcher.operator().equals("=~")) {
			for (String alternative : matcher.value().split("\\|")) {
				Pattern pattern = Pattern.compile(alternative);
				assertThat(values).as("a pushed value matching %s in %s", alternative, where)
					.anyMatch((value) -> pattern.matcher(value).matches());
			}
		}
	}

	/**
	 * The samples with the labels of the grouping key in the push's path, as the
	 * Pushgateway adds them.
	 */
	private static List<Sample> withGroupingKey(List<Sample> samples, String url) {
		String[] parts = url.replaceFirst("^/metrics/", "").split("/");
		Map<String, String> groupingKey = new LinkedHashMap<>();
		for (int i = 0; i + 1 < parts.length; i += 2) {
			groupingKey.put(parts[i], URLDecoder.decode(parts[i + 1], StandardCharsets.UTF_8));
		}
		assertThat(groupingKey).containsKeys("job", "command", "mode", "partition", "partitions", "table");
		return samples.stream().map((sample) -> {
			Map<String, String> labels = new HashMap<>(sample.labels());
			labels.putAll(groupingKey);
			return new Sample(sample.name(), labels, sample.value());
		}).toList();
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file)) {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
		assertThat(parent.get(key)).as(key).isInstanceOf(List.class);
		return (List<Map<String, Object>>) parent.get(key);
	}

}
