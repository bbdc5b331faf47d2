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
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(10);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(10);
		assertThat(report.get("cleared")).hasSize(10);
		JsonNode brake = report.get("brake");
		assertThat(brake.get("state").asString()).isEqualTo("tripped");
		assertThat(brake.get("maxClearFraction").asDouble()).isEqualTo(0.5);
		assertThat(brake.get("minSample").asLong()).isEqualTo(20);
		// the whole message: which limit, the figures, and how to override
		assertThat(brake.get("message").asString()).startsWith("20 of 20 checked pointers (100%) are gone")
			.contains("--max-clear-fraction=0.5")
			.contains("sample of 20")
			.endsWith("run again with --max-clear-fraction=1 (it resumes where it stopped)");
		assertThat(tripped.out()).contains("exit code 3")
			.contains("--max-clear-fraction=0.5")
			.contains("20 of 20 checked pointers");
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
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(10);
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
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(10);
		JsonNode brake = report.get("brake");
		assertThat(brake.get("state").asString()).isEqualTo("tripped");
		assertThat(brake.get("maxClears").asLong()).isEqualTo(5);
		assertThat(brake.get("message").asString())
			.startsWith("the run would clear 7 pointers, more than --max-clears=5")
			.endsWith("run again with a higher --max-clears (it resumes where it stopped)")
			.doesNotContain("--max-clear-fraction");
		assertThat(result.out()).contains("--max-clears=5");
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
		assertThat(result.out()).contains("safety brake WOULD TRIP").contains("would clear 200");
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
