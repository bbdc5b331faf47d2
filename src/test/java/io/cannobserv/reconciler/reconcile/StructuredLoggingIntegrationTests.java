package io.cannobserv.reconciler.reconcile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ExpectedBuild;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.version.BuildVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Logs for machines: under a structured format
 * ({@code logging.structured.format.console}, no profile needed) every line a run writes
 * on standard output is one JSON document, the summary one event among them; every line
 * of the run carries its id, mode, table and partition as fields; each line about a
 * pointer or a chunk carries its facts as fields, and the lines about pointers can be
 * turned down alone. The {@code kubernetes} profile of earlier deployments still turns it
 * on.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(StructuredLoggingIntegrationTests.class);

	private static final String TABLE = "information.info_items(info_item_id,watcher_item_id)";

	private static final String STRUCTURED = "--logging.structured.format.console=ecs";

	private static final Duration RUN_BOUND = Duration.ofSeconds(120);

	private final JsonMapper json = JsonMapper.builder().build();

	private FakeWatcher watcher;

	private TestDatabase database;

	private RegistryFixture registry;

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() {
		this.watcher = new FakeWatcher().start();
		this.database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.registry = RegistryFixture.create(archiver, this.watcher,
				Mix.none().live(4).gone(2).transientAlways(1).notFoundUnconfirmed(1));
	}

	@AfterEach
	void stopWatcher() {
		this.watcher.stop();
	}

	@Test
	void reconcileWhenLogsAreStructuredWritesEveryLineOfStandardOutputAsOneJsonDocument() throws Exception {
		// when: a real process runs with the setting alone, no profile
		ChildJvm run = ChildJvm.startWithErrorsApart("structured-run",
				ChildJvm.reconcileArgs(this.database, this.watcher, this.reportDir, "--apply", "--chunk-size=3",
						"--reconciler.progress-interval=1ms", STRUCTURED));
		assertThat(run.waitFor(RUN_BOUND)).as(run.errors()).isZero();

		// then: every line of its standard output is a JSON document
		List<JsonNode> lines = parseEveryLine(run.output());
		assertThat(lines).allSatisfy((line) -> assertThat(line.has("@timestamp")).as(line.toString()).isTrue());
		JsonNode start = only(lines, (line) -> message(line).endsWith("execution 1 started"));
		JsonNode summary = only(lines, (line) -> line.path("summary").isObject());
		JsonNode end = only(lines, (line) -> message(line).equals("Run 1 (apply) ended COMPLETED"));
		// every line of the command carries what the run is; from the job's start, its
		// id
		List<JsonNode> command = lines.subList(indexOf(lines, (line) -> line.has("mode")), lines.indexOf(summary) + 1);
		assertThat(command).allSatisfy((line) -> {
			assertThat(line.path("mode").asString()).as(line.toString()).isEqualTo("apply");
			assertThat(line.path("table").asString()).as(line.toString()).isEqualTo(TABLE);
			assertThat(line.path("partition").asString()).as(line.toString()).isEqualTo("0");
			assertThat(line.path("partitions").asString()).as(line.toString()).isEqualTo("1");
		});
		assertThat(lines.subList(lines.indexOf(start), lines.indexOf(summary) + 1))
			.allSatisfy((line) -> assertThat(line.path("runId").asString()).as(line.toString()).isEqualTo("1"));
		// a line per pointer cleared or kept, its facts as fields
		List<JsonNode> pointers = logger(lines, StalePointerWriter.POINTERS);
		for (String gone : this.registry.ids(PointerClass.GONE)) {
			JsonNode cleared = only(pointers, (line) -> line.path("infoItemId").asString().equals(gone));
			assertThat(cleared.path("outcome").asString()).isEqualTo("cleared");
			assertThat(cleared.path("verdict").asString()).isEqualTo("GONE");
			assertThat(cleared.path("httpStatus").asInt()).isEqualTo(404);
			assertThat(cleared.path("watcherItemId").asString()).isNotEmpty();
			assertThat(message(cleared)).startsWith("Cleared pointer of InfoItem " + gone + " to WatchedItem ");
		}
		String unconfirmed = this.registry.ids(PointerClass.NOT_FOUND_UNCONFIRMED).get(0);
		JsonNode kept = only(pointers, (line) -> line.path("infoItemId").asString().equals(unconfirmed));
		assertThat(kept.path("outcome").asString()).isEqualTo("notFoundUnconfirmed");
		assertThat(kept.path("httpStatus").asInt()).isEqualTo(404);
		// a line per chunk, its counts as fields that add up to the run's
		List<JsonNode> chunks = logger(lines, StalePointerWriter.CHUNKS);
		assertThat(chunks.stream()
			.filter((line) -> line.has("checked"))
			.mapToLong((line) -> line.path("checked").asLong())
			.sum()).isEqualTo(8);
		assertThat(chunks.stream().mapToLong((line) -> line.path("counts").path("cleared").asLong()).sum())
			.isEqualTo(2);
		JsonNode progress = lines.stream()
			.filter((line) -> message(line).startsWith("Progress: "))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no progress line"));
		assertThat(progress.path("total").asLong()).isEqualTo(8);
		// and the summary, one event: the text it always was, and its facts as fields
		assertThat(message(summary)).startsWith("Run 1 (apply): COMPLETED, exit code 0");
		assertThat(summary.path("log").path("logger").asString()).isEqualTo("io.cannobserv.reconciler.summary");
		assertThat(summary.path("summary").path("exitCode").asInt()).isZero();
		assertThat(summary.path("summary").path("status").asString()).isEqualTo("COMPLETED");
		assertThat(summary.path("summary").path("counts").path("cleared").asLong()).isEqualTo(2);
		assertThat(summary.path("summary").path("counts").path("read").asLong()).isEqualTo(8);
		assertThat(lines).allSatisfy((line) -> assertThat(line.path("service").path("version").asString())
			.isEqualTo(BuildVersion.current().label()));
		show(Map.of("run start", start, "per pointer", kept, "per chunk", chunks.get(0), "progress", progress,
				"summary event", summary, "end", end));

		// and `report --format json` under the same setting writes the document alone
		List<String> report = new ArrayList<>(List.of("report", "--run=1", "--format=json", STRUCTURED));
		report.addAll(List.of(this.database.springArgs()));
		ChildJvm reportRun = ChildJvm.startWithErrorsApart("structured-report", report);
		assertThat(reportRun.waitFor(RUN_BOUND)).as(reportRun.errors()).isZero();
		assertThat(reportRun.output()).isEqualTo(Files.readString(this.reportDir.resolve("run-1.json")) + "\n");
	}

	@Test
	void reconcileWhenPointerLinesAreTurnedDownKeepsTheChunkLines(CapturedOutput output) {
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply", STRUCTURED,
				"--logging.level.io.cannobserv.reconciler.pointers=warn");

		assertThat(result.exitCode()).as(result.err()).isZero();
		List<JsonNode> lines = jsonLines(output);
		assertThat(logger(lines, StalePointerWriter.POINTERS)).isEmpty();
		assertThat(logger(lines, StalePointerWriter.CHUNKS)).isNotEmpty()
			.allSatisfy((line) -> assertThat(line.path("runId").asString()).isEqualTo("1"));
	}

	@Test
	void reconcileWhenTheBrakeTripsLogsItAmongTheRunsLines(CapturedOutput output) {
		// given: a Watcher of the wrong environment: every pointer is gone
		this.registry.entries().forEach((entry) -> this.watcher.deleted(entry.watcherItemId()));

		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply", STRUCTURED,
				"--max-clears=1", "--chunk-size=2");

		assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
		List<JsonNode> lines = jsonLines(output);
		// the halt is one WARN line with its facts as fields, and no line logs an error
		JsonNode brake = only(lines, (line) -> line.path("brakeLimit").isString());
		assertThat(brake.path("log").path("level").asString()).isEqualTo("WARN");
		assertThat(brake.path("brakeLimit").asString()).isEqualTo("max-clears");
		assertThat(brake.path("notWritten").asInt()).isEqualTo(2);
		assertThat(brake.path("override").asString()).startsWith("--max-clears=");
		assertThat(brake.path("message").asString()).contains("--max-clears=1");
		assertThat(brake.path("runId").asString()).isEqualTo("1");
		assertThat(brake.path("mode").asString()).isEqualTo("apply");
		assertThat(lines).noneMatch((line) -> line.path("log").path("level").asString().equals("ERROR"))
			.noneMatch((line) -> line.has("error"));
		JsonNode summary = only(lines, (line) -> line.path("summary").isObject());
		assertThat(summary.path("summary").path("exitCode").asInt()).isEqualTo(3);
		assertThat(summary.path("summary").path("brake").asString()).isEqualTo("tripped");
		show(Map.of("brake", brake));
	}

	@Test
	void reconcileWhenKubernetesProfileOfEarlierDeploymentsLogsJsonLinesCarryingTheRunId(CapturedOutput output) {
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply",
				"--spring.profiles.active=kubernetes");

		assertThat(result.exitCode()).as(result.err()).isZero();
		List<JsonNode> lines = jsonLines(output);
		List<JsonNode> runLines = lines.stream()
			.filter((line) -> message(line).contains("Chunk committed") || message(line).contains("Cleared pointer"))
			.toList();
		// one chunk line and a line per clear, each with the run id
		assertThat(runLines).hasSize(1 + this.registry.ids(PointerClass.GONE).size());
		assertThat(runLines).allSatisfy((line) -> assertThat(line.path("runId").asString()).isEqualTo("1"));
		// the summary is an event among them, not text beside them
		assertThat(only(lines, (line) -> line.path("summary").isObject()).path("message").asString())
			.startsWith("Run 1 (apply): COMPLETED");
		assertThat(output.getOut()).doesNotContain("\nRun 1 (apply): COMPLETED");
		// and every line names the build, as ECS's service.version
		assertThat(lines).allSatisfy((line) -> assertThat(line.path("service").path("version").asString())
			.isEqualTo(BuildVersion.current().label())
			.startsWith(ExpectedBuild.version()));
	}

	private List<JsonNode> parseEveryLine(String output) {
		List<JsonNode> lines = new ArrayList<>();
		for (String line : output.lines().toList()) {
			try {
				lines.add(this.json.readTree(line));
			}
			catch (JacksonException ex) {
				fail("A line of standard output is not a JSON document: " + line);
			}
		}
		assertThat(lines).isNotEmpty();
		return lines;
	}

	/** The JSON log lines of this run: the in-process capture holds other lines too. */
	private List<JsonNode> jsonLines(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(this.json::readTree)
			.filter((line) -> line.has("@timestamp"))
			.toList();
	}

	private static List<JsonNode> logger(List<JsonNode> lines, String name) {
		return lines.stream().filter((line) -> line.path("log").path("logger").asString("").equals(name)).toList();
	}

	private static String message(JsonNode line) {
		return line.path("message").asString("");
	}

	private static JsonNode only(List<JsonNode> lines, Predicate<JsonNode> wanted) {
		List<JsonNode> found = lines.stream().filter(wanted).toList();
		assertThat(found).as("lines that match").hasSize(1);
		return found.get(0);
	}

	private static int indexOf(List<JsonNode> lines, Predicate<JsonNode> wanted) {
		for (int i = 0; i < lines.size(); i++) {
			if (wanted.test(lines.get(i))) {
				return i;
			}
		}
		throw new AssertionError("no such line");
	}

	/** One parsed line of each kind, for the reader of the test's output. */
	private void show(Map<String, JsonNode> kinds) {
		new LinkedHashMap<>(kinds).forEach((kind, line) -> logger.info("A parsed line ({}): {}", kind,
				this.json.writerWithDefaultPrettyPrinter().writeValueAsString(line)));
	}

}
