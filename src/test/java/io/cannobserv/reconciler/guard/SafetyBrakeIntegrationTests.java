package io.cannobserv.reconciler.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety brake through the command line: a Watcher of the wrong environment answers
 * the typed 404 for every id, which only the figures can tell from a real clean-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class SafetyBrakeIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** No request-rate cap: 200 lookups at the default 50/s would take 4 s per run. */
	private static final String UNPACED = "--max-requests-per-second=0";

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenWatcherAnswersGoneForEveryIdTripsAfterTheSampleThenResumesWhenOverridden(CapturedOutput output)
			throws Exception {
		// given an empty Watcher of the wrong environment: every one of 200 ids is the
		// typed 404
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().gone(200));
		List<Entry> entries = registry.entries();

		// when
		Result tripped = reconcile("--apply", "--chunk-size=10", UNPACED);

		// then chunk 1 (10 checked, under the sample of 20) was written, chunk 2 was not
		assertThat(tripped.exitCode()).as(tripped.out() + tripped.err()).isEqualTo(3);
		Set<String> firstChunk = idsOf(entries.subList(0, 10));
		assertThat(clearedIds()).isEqualTo(firstChunk);
		Map<String, @Nullable String> pointers = pointers();
		for (Entry entry : entries) {
			assertThat(pointers.get(entry.infoItemId())).as(entry.infoItemId())
				.isEqualTo(firstChunk.contains(entry.infoItemId()) ? null : entry.watcherItemId());
		}
		assertThat(this.bed.archiver().watchStatusSnapshot()).hasSize(190)
			.doesNotContainKeys(firstChunk.toArray(String[]::new));
		// the run stopped there: no chunk after the second was even looked up
		assertThat(this.bed.watcher().itemRequests()).hasSize(1 + 20);
		JsonNode report = onlyReport();
		long runId = report.get("runId").asLong();
		assertThat(report.get("status").asString()).isEqualTo("FAILED");
		assertThat(report.get("exitCode").asInt()).isEqualTo(3);
		// the halted chunk is counted as judged, its gone pointers as would clear
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(20);
		assertThat(report.get("counts").get("gone").asLong()).isEqualTo(20);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(10);
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(10);
		assertThat(ids(report.get("wouldClear"))).isEqualTo(idsOf(entries.subList(10, 20)));
		assertThat(report.get("cleared")).hasSize(10);
		JsonNode brake = report.get("brake");
		assertThat(brake.get("state").asString()).isEqualTo("tripped");
		assertThat(brake.get("maxClearFraction").asDouble()).isEqualTo(0.5);
		assertThat(brake.get("minSample").asLong()).isEqualTo(20);
		// the whole message: which limit and the figures; and the option that lets it
		// through
		assertThat(brake.get("message").asString()).isEqualTo(
				"20 of 20 checked pointers (100%) are gone, above --max-clear-fraction=0.5 after a sample of 20");
		assertThat(brake.get("limit").asString()).isEqualTo("max-clear-fraction");
		assertThat(brake.get("override").asString()).isEqualTo("--max-clear-fraction=1");
		assertThat(brake.get("notWritten").asLong()).isEqualTo(10);
		assertThat(tripped.out()).contains("HALTED by the safety brake, exit code 3")
			.contains("--max-clear-fraction=0.5")
			.contains("20 of 20 checked pointers")
			.contains("reconcile --apply --max-clear-fraction=1")
			.contains("restore --run " + runId + " --apply");
		assertThat(output.getAll()).as("the log names the limit and the figures")
			.contains("20 of 20 checked pointers (100%) are gone, above --max-clear-fraction=0.5");

		// when the operator decides the clean-up is deliberate
		Result resumed = reconcile("--apply", "--chunk-size=10", UNPACED, "--max-clear-fraction=1");

		// then the same run resumes at the chunk that tripped and clears the rest, each
		// once
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		assertThat(clearedIds()).isEqualTo(idsOf(entries));
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) - count(DISTINCT info_item_id) FROM " + JOB_SCHEMA + ".pointer_clear",
					Long.class))
			.isZero();
		assertThat(this.bed.archiver().snapshot())
			.allSatisfy((id, row) -> assertThat(row.get("watcher_item_id")).isNull());
		assertThat(this.bed.archiver().watchStatusSnapshot()).isEmpty();
		// the first chunk was not looked up again
		for (Entry entry : entries.subList(0, 10)) {
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId()).hasSize(1);
		}
		JsonNode after = onlyReport();
		assertThat(after.get("runId").asLong()).isEqualTo(runId);
		assertThat(after.get("executions").asInt()).isEqualTo(2);
		assertThat(after.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(after.get("counts").get("read").asLong()).isEqualTo(200);
		assertThat(after.get("counts").get("gone").asLong()).isEqualTo(200);
		assertThat(after.get("counts").get("cleared").asLong()).isEqualTo(200);
		assertThat(after.get("brake").get("state").asString()).isEqualTo("clear");
		assertThat(after.get("brake").get("maxClearFraction").asDouble()).isEqualTo(1.0);
	}

	@Test
	void reconcileWhenResumedWithoutOverrideTripsAgainAndClearsNothingMore() throws Exception {
		// given a run halted by the brake
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().gone(40));
		Result first = reconcile("--apply", "--chunk-size=10", UNPACED);
		assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(3);
		Set<String> clearedFirst = clearedIds();

		// when run again with the same limits
		Result again = reconcile("--apply", "--chunk-size=10", UNPACED);

		// then
		assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(3);
		assertThat(clearedFirst).hasSize(10);
		assertThat(clearedIds()).isEqualTo(clearedFirst);
		JsonNode report = onlyReport();
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		// 10 committed, and the 10 of the chunk halted again
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(20);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(10);
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(10);
		assertThat(report.get("wouldClear")).hasSize(10);
		assertThat(report.get("brake").get("state").asString()).isEqualTo("tripped");
		// the same figures: the chunk rolled back the first time was not counted
		assertThat(report.get("brake").get("message").asString()).startsWith("20 of 20 checked pointers");
	}

	@Test
	void reconcileWhenRunWouldClearMoreThanMaxClearsStopsBeforeTheChunkThatPassesTheCap() throws Exception {
		// given a healthy share (10 of 50 gone, 20%) and a cap of 5; chunks of 5 read
		// [L G L G L] [G L G L G] [L G L G L] ...: 2, then 5, then 7 gone
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(40).gone(10));
		List<Entry> entries = registry.entries();
		Set<String> goneInFirstTwoChunks = new HashSet<>(idsOf(entries.subList(0, 10)));
		goneInFirstTwoChunks.retainAll(registry.ids(PointerClass.GONE));

		// when
		Result result = reconcile("--apply", "--chunk-size=5", "--max-clears=5");

		// then exactly the cap was cleared
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
		assertThat(goneInFirstTwoChunks).hasSize(5);
		assertThat(clearedIds()).isEqualTo(goneInFirstTwoChunks);
		Map<String, @Nullable String> pointers = pointers();
		for (Entry entry : entries) {
			assertThat(pointers.get(entry.infoItemId())).as(entry.infoItemId())
				.isEqualTo(goneInFirstTwoChunks.contains(entry.infoItemId()) ? null : entry.watcherItemId());
		}
		JsonNode report = onlyReport();
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(5);
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(15);
		JsonNode brake = report.get("brake");
		assertThat(brake.get("state").asString()).isEqualTo("tripped");
		assertThat(brake.get("maxClears").asLong()).isEqualTo(5);
		assertThat(brake.get("message").asString())
			.isEqualTo("the run would clear 7 pointers, more than --max-clears=5");
		assertThat(brake.get("override").asString()).isEqualTo("--max-clears=7");
		assertThat(result.out()).contains("--max-clears=5").contains("reconcile --apply --max-clears=7");
	}

	@Test
	void reconcileWhenBrakeTripsExplainsItselfInOneWarningAndListsThePointersToJudge(CapturedOutput output)
			throws Exception {
		// given 10 gone among 50 (20%), a cap of 5 and chunks of 5: the third chunk, with
		// 2 more gone, takes the run to 7
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(40).gone(10));
		List<Entry> entries = registry.entries();
		Set<String> goneInThirdChunk = new HashSet<>(idsOf(entries.subList(10, 15)));
		goneInThirdChunk.retainAll(registry.ids(PointerClass.GONE));

		// when
		Result result = reconcile("--apply", "--chunk-size=5", "--max-clears=5");

		// then a halt, told as one: one WARN line, no ERROR, no stack trace, no class
		// name
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
		String log = output.getAll();
		assertThat(log.lines().filter((line) -> line.contains(" WARN "))).singleElement()
			.asString()
			.contains("Safety brake halted run")
			.contains("the run would clear 7 pointers, more than --max-clears=5")
			.contains("reconcile --apply --max-clears=7");
		assertThat(log).doesNotContain(" ERROR ").doesNotContainPattern("(?m)^\\s+at ").doesNotContain("Exception");
		assertThat(result.err()).isEmpty();
		assertThat(result.out()).doesNotContain("Exception").doesNotContain("FAILED");
		// the report counts the halted chunk as judged: the verdicts add up to what was
		// checked, and gone = cleared + would clear
		JsonNode report = onlyReport();
		long runId = report.get("runId").asLong();
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(15);
		assertThat(counts.get("live").asLong() + counts.get("gone").asLong()).isEqualTo(15);
		assertThat(counts.get("gone").asLong()).isEqualTo(7);
		assertThat(counts.get("cleared").asLong()).isEqualTo(5);
		assertThat(counts.get("wouldClear").asLong()).isEqualTo(2);
		assertThat(report.get("exitMessage").asString())
			.isEqualTo("halted by the safety brake: the run would clear 7 pointers, more than --max-clears=5");
		assertThat(ids(report.get("wouldClear"))).isEqualTo(goneInThirdChunk);
		assertThat(report.get("wouldClear"))
			.allSatisfy((pointer) -> assertThat(pointer.get("evidence").asString()).contains("WatchedItem not found"));
		assertThat(report.get("brake").get("notWritten").asLong()).isEqualTo(5);
		ReportSchema.assertValid(this.json.writeValueAsString(report));
		// nothing of the halted chunk was written: its gone pointers are still set
		goneInThirdChunk.forEach((id) -> assertThat(this.bed.archiver().pointerOf(id)).as(id).isNotNull());
		assertThat(clearedIds()).hasSize(5).doesNotContainAnyElementsOf(goneInThirdChunk);
		// the console: a halt, the pointers to judge, and the exact next commands
		assertThat(result.out()).contains("Run " + runId + " (apply): HALTED by the safety brake, exit code 3")
			.contains("checked 15: 8 live, 7 gone")
			.contains("cleared 5, would clear 2")
			.contains("    reconcile    # preview")
			.contains("    reconcile --apply --max-clears=7    # proceed")
			.contains("    restore --run " + runId + " --apply    # undo the 5 pointer(s)");
		goneInThirdChunk.forEach((id) -> assertThat(result.out()).contains(id + " -> "));
		// every format says the same, once
		for (String format : List.of("markdown", "html", "text")) {
			Result rendered = ReconcilerRun.run(reportArgs(runId, format));
			assertThat(rendered.exitCode()).as(rendered.err()).isZero();
			goneInThirdChunk.forEach((id) -> assertThat(rendered.out()).as(format).contains(id));
			assertThat(rendered.out()).as(format)
				.contains("reconcile --apply --max-clears=7")
				.contains("restore --run " + runId + " --apply")
				.doesNotContain("Exception")
				.doesNotContainPattern("(?<![-\\w])FAILED\\b")
				.doesNotContain("same command again");
			assertThat(rendered.out().split("the run would clear 7 pointers", -1)).as(format).hasSize(2);
		}

		// when the operator lets exactly that chunk through
		Result resumed = reconcile("--apply", "--chunk-size=5", "--max-clears=7");

		// then it is written, and the run halts at the next chunk that passes the new
		// cap,
		// whose pointers replace the first halt's in the report
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(3);
		assertThat(clearedIds()).containsAll(goneInThirdChunk).hasSize(7);
		JsonNode after = onlyReport();
		assertThat(after.get("counts").get("cleared").asLong()).isEqualTo(7);
		assertThat(after.get("counts").get("read").asLong()).isEqualTo(20);
		assertThat(ids(after.get("wouldClear"))).doesNotContainAnyElementsOf(goneInThirdChunk).hasSize(3);
		assertThat(after.get("brake").get("override").asString()).isEqualTo("--max-clears=10");
	}

	private String[] reportArgs(long runId, String format) {
		List<String> args = new ArrayList<>(List.of("report", "--run", String.valueOf(runId), "--format=" + format));
		args.addAll(List.of(this.bed.database().springArgs()));
		return args.toArray(String[]::new);
	}

	@Test
	void reconcileWhenDryRunPassesTheLimitReportsWouldTripAndStillClassifiesEverything(CapturedOutput output)
			throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().gone(200));
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		Map<String, Map<String, @Nullable Object>> statusBefore = this.bed.archiver().watchStatusSnapshot();

		// when
		Result result = reconcile("--chunk-size=10", UNPACED);

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		assertThat(this.bed.archiver().watchStatusSnapshot()).isEqualTo(statusBefore);
		assertThat(clearedIds()).isEmpty();
		assertThat(this.bed.watcher().itemRequests()).hasSize(1 + 200);
		JsonNode report = onlyReport();
		assertThat(report.get("mode").asString()).isEqualTo("dry-run");
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(200);
		assertThat(report.get("counts").get("gone").asLong()).isEqualTo(200);
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(200);
		assertThat(report.get("counts").get("cleared").asLong()).isZero();
		assertThat(report.get("wouldClear")).hasSize(200);
		assertThat(ids(report.get("wouldClear"))).isEqualTo(idsOf(registry.entries()));
		JsonNode brake = report.get("brake");
		assertThat(brake.get("state").asString()).isEqualTo("would-trip");
		// noted where it would first have tripped: chunk 2, 20 of 20
		assertThat(brake.get("message").asString()).contains("20 of 20 checked pointers")
			.contains("--max-clear-fraction=0.5");
		ReportSchema.assertValid(this.json.writeValueAsString(report));
		// what lets every chunk of an applying run through
		assertThat(brake.get("override").asString()).isEqualTo("--max-clear-fraction=1");
		assertThat(result.out()).contains("an applying run would halt")
			.contains("would clear 200")
			.contains("reconcile --apply --max-clear-fraction=1");
		assertThat(output.getAll()).contains("Safety brake would trip here in apply mode");
	}

	@Test
	void reconcileWhenRegistryIsHealthyDoesNotTrip() throws Exception {
		// given 5% gone, well past the sample
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(95).gone(5));

		// when
		Result result = reconcile("--apply", "--chunk-size=10", UNPACED);

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(clearedIds()).isEqualTo(Set.copyOf(registry.ids(PointerClass.GONE)));
		JsonNode report = onlyReport();
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(100);
		assertThat(report.get("brake").get("state").asString()).isEqualTo("clear");
		assertThat(report.get("brake").get("message").isNull()).isTrue();
	}

	/** Every InfoItem's pointer, in one query. */
	private Map<String, @Nullable String> pointers() {
		Map<String, @Nullable String> pointers = new HashMap<>();
		this.bed.archiver().snapshot().forEach((id, row) -> pointers.put(id, (String) row.get("watcher_item_id")));
		return pointers;
	}

	private Set<String> clearedIds() {
		if (!jobSchemaExists()) {
			return Set.of();
		}
		return Set.copyOf(this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class));
	}

	private boolean jobSchemaExists() {
		return Boolean.TRUE.equals(this.bed.database()
			.jdbc()
			.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, JOB_SCHEMA + ".pointer_clear"));
	}

	private JsonNode onlyReport() throws Exception {
		try (var files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return this.json.readTree(reports.get(0).toFile());
		}
	}

	private static Set<String> idsOf(List<Entry> entries) {
		return Set.copyOf(entries.stream().map(Entry::infoItemId).toList());
	}

	private static Set<String> ids(JsonNode items) {
		List<String> ids = new ArrayList<>(items.findValuesAsString("infoItemId"));
		assertThat(ids).doesNotHaveDuplicates();
		return Set.copyOf(ids);
	}

	/**
	 * {@code reconcile} through the command line, with a read timeout that a loaded build
	 * machine cannot trip: nothing here is about timeouts.
	 */
	private Result reconcile(String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--read-timeout=10s");
		return ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir,
				args.toArray(String[]::new));
	}

}
