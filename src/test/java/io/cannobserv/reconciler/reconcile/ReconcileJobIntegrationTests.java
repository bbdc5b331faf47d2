package io.cannobserv.reconciler.reconcile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job through its command line, on real PostgreSQL and a fake Watcher speaking
 * Watcher's real bodies: the rows, the audit, the report and the exit code.
 */
class ReconcileJobIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** Archiver's table as a run's identity names it, by default. */
	private static final String ARCHIVER_TABLE = "information.info_items(info_item_id,watcher_item_id)";

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenApplyingMixedRegistryClearsExactlyTheGonePointers() throws Exception {
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.ofEach(6).live(30));
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		Map<String, Map<String, @Nullable Object>> statusBefore = this.bed.archiver().watchStatusSnapshot();

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=7");

		assertThat(result.exitCode()).as(result.err()).isZero();
		Map<String, Map<String, @Nullable Object>> after = this.bed.archiver().snapshot();
		Set<String> gone = Set.copyOf(registry.ids(PointerClass.GONE));
		for (Entry entry : registry.entries()) {
			String id = entry.infoItemId();
			if (gone.contains(id)) {
				assertThat(after.get(id).get("watcher_item_id")).as(id).isNull();
				assertThat(after.get(id).get("updated_at")).as(id).isNotEqualTo(before.get(id).get("updated_at"));
				Map<String, @Nullable Object> rest = new HashMap<>(after.get(id));
				Map<String, @Nullable Object> restBefore = new HashMap<>(before.get(id));
				List.of("watcher_item_id", "updated_at").forEach((column) -> {
					rest.remove(column);
					restBefore.remove(column);
				});
				assertThat(rest).as(id).isEqualTo(restBefore);
				assertThat(this.bed.archiver().watchStatusSnapshot()).as(id).doesNotContainKey(id);
			}
			else {
				assertThat(after.get(id)).as(id).isEqualTo(before.get(id));
				if (statusBefore.containsKey(id)) {
					assertThat(this.bed.archiver().watchStatusSnapshot().get(id)).as(id)
						.isEqualTo(statusBefore.get(id));
				}
			}
		}
		JdbcTemplate jdbc = this.bed.database().jdbc();
		List<Map<String, Object>> audit = jdbc.queryForList(
				"SELECT info_item_id, watcher_item_id, http_status, evidence FROM " + JOB_SCHEMA + ".pointer_clear");
		assertThat(audit).hasSize(gone.size());
		for (Map<String, Object> row : audit) {
			String id = (String) row.get("info_item_id");
			assertThat(gone).contains(id);
			assertThat(row.get("watcher_item_id")).isEqualTo(registry.entry(id).watcherItemId());
			assertThat(row.get("http_status")).isEqualTo(404);
			assertThat((String) row.get("evidence")).contains("WatchedItem not found");
		}
		JsonNode report = onlyReport();
		JsonNode counts = report.get("counts");
		long pointers = registry.entries().stream().filter((e) -> e.watcherItemId() != null).count();
		assertThat(report.get("mode").asString()).isEqualTo("apply");
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("exitCode").asInt()).isZero();
		assertThat(counts.get("read").asLong()).isEqualTo(pointers);
		// 30 live plus 6 that answered 503 once, then 200
		assertThat(counts.get("live").asLong()).isEqualTo(30 + 6);
		assertThat(counts.get("archived").asLong()).isEqualTo(6);
		assertThat(counts.get("gone").asLong()).isEqualTo(6);
		assertThat(counts.get("cleared").asLong()).isEqualTo(audit.size());
		assertThat(counts.get("wouldClear").asLong()).isZero();
		assertThat(counts.get("changedConcurrently").asLong()).isZero();
		assertThat(counts.get("notFoundUnconfirmed").asLong()).isEqualTo(6);
		assertThat(counts.get("malformed").asLong()).isEqualTo(6);
		assertThat(counts.get("mismatched").asLong()).isEqualTo(6);
		assertThat(counts.get("transient").asLong()).isEqualTo(6);
		assertThat(ids(report.get("cleared"))).isEqualTo(gone);
		assertThat(report.get("skipped")).hasSize(24);
		Set<String> skippedTransient = ids(report.get("skipped"), Outcome.TRANSIENT.jsonName());
		assertThat(skippedTransient).isEqualTo(Set.copyOf(registry.ids(PointerClass.TRANSIENT_ALWAYS)));
		assertThat(report.get("skipped").findValuesAsString("reason")).allSatisfy((r) -> assertThat(r).isNotBlank());
		// malformed pointers never reach Watcher
		for (String id : registry.ids(PointerClass.MALFORMED)) {
			assertThat(this.bed.watcher().itemRequests())
				.noneMatch((request) -> request.getUrl().endsWith("/" + registry.entry(id).watcherItemId()));
		}
		assertThat(result.out()).contains("cleared 6").contains("6 transient");
		assertThat(result.out() + result.err()).doesNotContain(this.bed.watcher().apiKey());
		assertThat(Files.readString(reportFile())).doesNotContain(this.bed.watcher().apiKey());
	}

	@Test
	void reconcileWhenDryRunChangesNothingAndReportsWhatItWouldClear() throws Exception {
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(10).gone(4).archived(2).malformed(2));
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		Map<String, Map<String, @Nullable Object>> statusBefore = this.bed.archiver().watchStatusSnapshot();

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir,
				"--chunk-size=5");

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		assertThat(this.bed.archiver().watchStatusSnapshot()).isEqualTo(statusBefore);
		assertThat(auditRows()).isZero();
		JsonNode report = onlyReport();
		assertThat(report.get("mode").asString()).isEqualTo("dry-run");
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(4);
		assertThat(report.get("counts").get("cleared").asLong()).isZero();
		assertThat(ids(report.get("wouldClear"))).isEqualTo(Set.copyOf(registry.ids(PointerClass.GONE)));
		assertThat(result.out()).contains("would clear 4");
	}

	@Test
	void reconcileWhenWriteFailsMidRunExitsOneThenResumesAndClearsEachGonePointerOnce() throws Exception {
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(30).gone(15).archived(5));
		List<Entry> withPointer = registry.entries().stream().filter((e) -> e.watcherItemId() != null).toList();
		// the first gone pointer of the third chunk (chunk size 10) cannot be written
		Entry rejected = withPointer.subList(20, withPointer.size())
			.stream()
			.filter((e) -> e.pointerClass() == PointerClass.GONE)
			.findFirst()
			.orElseThrow();
		JdbcTemplate jdbc = this.bed.database().jdbc();
		jdbc.execute("CREATE FUNCTION information.reject_update() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN RAISE EXCEPTION 'injected failure for %', OLD.info_item_id; END $$");
		jdbc.execute("CREATE TRIGGER reject_one BEFORE UPDATE ON information.info_items FOR EACH ROW WHEN "
				+ "(OLD.info_item_id = '" + rejected.infoItemId() + "') EXECUTE FUNCTION information.reject_update()");

		Result failed = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=10");

		assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
		Set<String> clearedFirst = clearedIds();
		Set<String> goneInFirstTwoChunks = withPointer.subList(0, 20)
			.stream()
			.filter((e) -> e.pointerClass() == PointerClass.GONE)
			.map(Entry::infoItemId)
			.collect(Collectors.toSet());
		assertThat(clearedFirst).isEqualTo(goneInFirstTwoChunks);
		assertThat(this.bed.archiver().pointerOf(rejected.infoItemId())).isEqualTo(rejected.watcherItemId());
		JsonNode failedReport = onlyReport();
		assertThat(failedReport.get("status").asString()).isEqualTo("FAILED");
		assertThat(failedReport.get("counts").get("read").asLong()).isEqualTo(20);
		assertThat(failedReport.get("counts").get("cleared").asLong()).isEqualTo(goneInFirstTwoChunks.size());

		jdbc.execute("DROP TRIGGER reject_one ON information.info_items");
		Result resumed = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=10");

		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		assertThat(clearedIds()).isEqualTo(Set.copyOf(registry.ids(PointerClass.GONE)));
		assertThat(jdbc.queryForObject(
				"SELECT count(*) - count(DISTINCT info_item_id) FROM " + JOB_SCHEMA + ".pointer_clear", Long.class))
			.isZero();
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
		for (String id : registry.ids(PointerClass.LIVE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isEqualTo(registry.entry(id).watcherItemId());
		}
		// the committed chunks were not checked again: resume is a keyset query past them
		for (Entry entry : withPointer.subList(0, 20)) {
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId()).hasSize(1);
		}
		JsonNode report = onlyReport();
		assertThat(report.get("runId").asLong()).isEqualTo(failedReport.get("runId").asLong());
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(withPointer.size());
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(15);
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(30);
	}

	@Test
	void reconcileWhenLookupFailsInFirstPassRechecksItPatientlyAtTheEnd() throws Exception {
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(12).transientAlways(1));
		String failing = registry.entry(registry.ids(PointerClass.TRANSIENT_ALWAYS).get(0)).watcherItemId();
		// given a pointer whose WatchedItem was deleted behind a proxy that failed twice
		String deletedBehindProxy = registry.ids(PointerClass.LIVE).get(5);
		String deletedPointer = registry.entry(deletedBehindProxy).watcherItemId();
		this.bed.watcher().flakyThenDeleted(deletedPointer, 2);

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=5");

		assertThat(result.exitCode()).as(result.err()).isZero();
		// the first pass asks once; the recheck asks with retries (503, then the typed
		// 404)
		assertThat(this.bed.watcher().requestsFor(deletedPointer)).hasSize(3);
		assertThat(this.bed.archiver().pointerOf(deletedBehindProxy)).isNull();
		assertThat(clearedIds()).containsExactly(deletedBehindProxy);
		// a pointer failing every time: one request in the first pass, --max-attempts (4)
		// in the recheck
		assertThat(this.bed.watcher().requestsFor(failing)).hasSize(1 + 4);
		JsonNode report = onlyReport();
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(13);
		assertThat(counts.get("live").asLong()).isEqualTo(11);
		assertThat(counts.get("gone").asLong()).isEqualTo(1);
		assertThat(counts.get("cleared").asLong()).isEqualTo(1);
		assertThat(counts.get("transient").asLong()).isEqualTo(1);
		assertThat(ids(report.get("skipped"), Outcome.TRANSIENT.jsonName()))
			.containsExactly(registry.ids(PointerClass.TRANSIENT_ALWAYS).get(0));
		assertThat(report.get("skipped")).hasSize(1);
		assertThat(result.out()).contains("cleared 1");
	}

	@Test
	void reconcileWhenRunCompletedStartsANewRunNextTime() throws Exception {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(3).gone(2));
		assertThat(
				ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply").exitCode())
			.isZero();

		Result second = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply");

		assertThat(second.exitCode()).as(second.err()).isZero();
		try (var files = Files.list(this.reportDir)) {
			assertThat(files.filter((f) -> f.toString().endsWith(".json"))).hasSize(2);
		}
		assertThat(auditRows()).isEqualTo(2);
	}

	@Test
	void reconcileWhenPointerRelinkedBetweenReadAndWriteLeavesItRelinked() throws Exception {
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(2).gone(3));
		String relinked = registry.ids(PointerClass.GONE).get(1);
		String oldPointer = registry.entry(relinked).watcherItemId();
		// Watcher answers this one slowly; meanwhile someone re-links the InfoItem
		this.bed.watcher().deletedAfter(oldPointer, 1500);
		Thread relinker = new Thread(() -> {
			awaitRequestFor(oldPointer);
			this.bed.archiver().setPointer(relinked, "01HZZRELINKED0000000000001");
		});
		relinker.start();

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--read-timeout=5s");
		relinker.join(10_000);

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(relinked)).isEqualTo("01HZZRELINKED0000000000001");
		assertThat(clearedIds()).doesNotContain(relinked).hasSize(2);
		JsonNode report = onlyReport();
		assertThat(report.get("counts").get("changedConcurrently").asLong()).isEqualTo(1);
		assertThat(ids(report.get("skipped"), Outcome.CHANGED_CONCURRENTLY.jsonName())).containsExactly(relinked);
	}

	@Test
	void reconcileWhenBaseUrlIsWrongExitsTwoAndTouchesNothing() {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2).gone(2));
		this.bed.watcher().wrongBaseUrl();
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply");

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n").contains("WATCHER_BASE_URL");
		assertNothingReadOrWritten(before);
	}

	@Test
	void reconcileWhenRefusedAtStartSaysSoInWatchersWordsAsEveryEarlierRelease() {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2).gone(2));
		this.bed.watcher().wrongBaseUrl();

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply");

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("Watcher at " + this.bed.watcher().baseUrl()
				+ " is not healthy: GET /health answered HTTP 404 {\"detail\":\"Not Found\"}: check WATCHER_BASE_URL "
				+ "(Watcher's root URL, no /api/v1) and Watcher itself");
	}

	@Test
	void reconcileWhenKeyIsRejectedExitsTwoAndTouchesNothing() {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2).gone(2));
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();

		Result result = ReconcilerRun.run("reconcile", "--apply", this.bed.database().springArgs()[0],
				this.bed.database().springArgs()[1], this.bed.database().springArgs()[2],
				"--watcher-base-url=" + this.bed.watcher().baseUrl(), "--reconciler.watcher.api-key=wrong-key",
				"--report-dir=" + this.reportDir);

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n")
			.contains("Watcher at " + this.bed.watcher().baseUrl() + " rejected the API key (HTTP 401 ")
			.contains("): set WATCHER_API_KEY to a key Watcher accepts");
		assertNothingReadOrWritten(before);
	}

	@Test
	void reconcileWhenPointerColumnIsMissingSaysArchiverDroppedItAndExitsTwo() {
		TestDatabase newer = TestPostgres.newDatabase();
		ArchiverDatabase.createSchema(newer.jdbc(), ArchiverVersion.V4_13);

		Result result = ReconcilerRun.reconcile(newer, this.bed.watcher(), this.reportDir, "--apply");

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n")
			.contains("has no column watcher_item_id")
			.contains("4.13");
		assertThat(this.bed.watcher().itemRequests()).isEmpty();
	}

	@Test
	void reconcileWhenWatcherIsUnreachableExitsTwo() {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2));
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		String baseUrl = this.bed.watcher().baseUrl();
		this.bed.watcher().stop();

		Result result = ReconcilerRun.run("reconcile", "--apply", this.bed.database().springArgs()[0],
				this.bed.database().springArgs()[1], this.bed.database().springArgs()[2],
				"--watcher-base-url=" + baseUrl, "--reconciler.watcher.api-key=key", "--report-dir=" + this.reportDir);

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n").contains("unreachable");
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
	}

	@Test
	void reconcileWhenKeyIsRevokedMidRunStopsWithoutClearingMore() throws Exception {
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(20).gone(20));
		// the preflight probe and the first two chunks (8 lookups) pass; the third chunk
		// meets 401
		this.bed.watcher().revokeKeyAfter(9);

		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=4", "--concurrency=1");

		assertThat(result.exitCode()).isEqualTo(1);
		List<Entry> withPointer = registry.entries().stream().filter((e) -> e.watcherItemId() != null).toList();
		Set<String> goneInFirstTwoChunks = withPointer.subList(0, 8)
			.stream()
			.filter((e) -> e.pointerClass() == PointerClass.GONE)
			.map(Entry::infoItemId)
			.collect(Collectors.toSet());
		assertThat(clearedIds()).isEqualTo(goneInFirstTwoChunks);
		assertThat(onlyReport().get("exitMessage").asString()).contains("401");
	}

	@Test
	void reconcileWhenAnotherRunHoldsTheLockExitsFourAndTouchesNothing() throws Exception {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2).gone(2));
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		try (var connection = this.bed.database().dataSource().getConnection();
				var statement = connection.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
			statement.setString(1, RunLocks.reconcileName(JOB_SCHEMA, ARCHIVER_TABLE, 0, 1));
			statement.execute();

			Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply");

			assertThat(result.exitCode()).isEqualTo(4);
			assertThat(result.err().strip()).doesNotContain("\n").contains("Another run holds the lock");
		}
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		assertThat(this.bed.watcher().itemRequests()).isEmpty();
	}

	@Test
	void reconcileWhenOptionIsInvalidExitsTwoNamingIt() {
		String[] db = this.bed.database().springArgs();
		Result zero = ReconcilerRun.run("reconcile", db[0], db[1], db[2], "--chunk-size=0");
		assertThat(zero.exitCode()).isEqualTo(2);
		assertThat(zero.err().strip()).doesNotContain("\n").contains("--chunk-size must be between 1 and 10000");
		Result notANumber = ReconcilerRun.run("reconcile", db[0], db[1], db[2], "--chunk-size=abc");
		assertThat(notANumber.exitCode()).isEqualTo(2);
		assertThat(notANumber.err().strip()).doesNotContain("\n")
			.contains("--chunk-size needs a whole number")
			.contains("abc");
		Result unknown = ReconcilerRun.run("reconcile", "--chunk-sise=10");
		assertThat(unknown.exitCode()).isEqualTo(2);
		assertThat(unknown.err()).contains("--chunk-sise");
		Result command = ReconcilerRun.run("reconcle");
		assertThat(command.exitCode()).isEqualTo(2);
		assertThat(command.err()).contains("Unknown command 'reconcle'");
		Result noDatabase = ReconcilerRun.run("reconcile");
		assertThat(noDatabase.exitCode()).isEqualTo(2);
		assertThat(noDatabase.err().strip()).doesNotContain("\n").contains("SPRING_DATASOURCE_URL").contains("not set");
		Result url = ReconcilerRun.run("reconcile", db[0], db[1], db[2], "--watcher-base-url=ftp://watcher");
		assertThat(url.exitCode()).isEqualTo(2);
		assertThat(url.err().strip()).doesNotContain("\n").contains("WATCHER_BASE_URL");
	}

	private void assertNothingReadOrWritten(Map<String, Map<String, @Nullable Object>> before) {
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		assertThat(this.bed.watcher().itemRequests())
			.allMatch((r) -> r.getUrl().endsWith("/00000000000000000000000000"));
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", Integer.class,
					JOB_SCHEMA))
			.as("the job schema is created only after preflight")
			.isZero();
	}

	private void awaitRequestFor(String watchedId) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (this.bed.watcher().requestsFor(watchedId).isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private Set<String> clearedIds() {
		return Set.copyOf(this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class));
	}

	private long auditRows() {
		Long rows = this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".pointer_clear", Long.class);
		return (rows != null) ? rows : 0;
	}

	private Path reportFile() throws Exception {
		try (var files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return reports.get(0);
		}
	}

	private JsonNode onlyReport() throws Exception {
		return this.json.readTree(reportFile().toFile());
	}

	private static Set<String> ids(JsonNode items) {
		return Set.copyOf(items.findValuesAsString("infoItemId"));
	}

	private static Set<String> ids(JsonNode items, String verdict) {
		Set<String> ids = new java.util.HashSet<>();
		for (JsonNode item : items) {
			if (verdict.equals(item.get("verdict").asString())) {
				ids.add(item.get("infoItemId").asString());
			}
		}
		return ids;
	}

}
