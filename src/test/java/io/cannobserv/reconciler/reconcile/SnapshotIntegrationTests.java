package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code --strategy=snapshot} through the command line: one request for Watcher's whole
 * list, the pointers it holds decided without a lookup, the others looked up by id, and
 * only a lookup's typed 404 ever clears. Past a limit, or on an answer that is not the
 * list, the run says so and looks up every pointer.
 */
class SnapshotIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenSnapshotHoldsPointersDecidesThemWithoutLookingThemUp() throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.ofEach(3).live(12));
		FakeWatcher watcher = this.bed.watcher();

		// when
		Result result = reconcile("--apply", "--strategy=snapshot", "--chunk-size=5");

		// then one request for the whole set, archived ones included
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(watcher.listRequests()).containsExactly("include_archived=true");
		// lookups only for the pointers the list does not hold
		Set<String> listed = Set
			.of(PointerClass.LIVE, PointerClass.ARCHIVED, PointerClass.MISMATCHED, PointerClass.FLAKY_THEN_LIVE)
			.stream()
			.flatMap((kind) -> registry.ids(kind).stream())
			.map((id) -> registry.entry(id).watcherItemId())
			.collect(Collectors.toSet());
		Set<String> lookedUp = watcher.itemRequests()
			.stream()
			.map((request) -> request.getUrl().substring(request.getUrl().lastIndexOf('/') + 1))
			.filter((id) -> !id.equals("00000000000000000000000000"))
			.collect(Collectors.toSet());
		Set<String> notListed = Stream
			.of(PointerClass.GONE, PointerClass.NOT_FOUND_UNCONFIRMED, PointerClass.TRANSIENT_ALWAYS)
			.flatMap((kind) -> registry.ids(kind).stream())
			.map((id) -> registry.entry(id).watcherItemId())
			.collect(Collectors.toSet());
		assertThat(lookedUp).isEqualTo(notListed).doesNotContainAnyElementsOf(listed);
		// only the typed 404 of a lookup clears: not being listed is no proof
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
		for (PointerClass kept : List.of(PointerClass.NOT_FOUND_UNCONFIRMED, PointerClass.TRANSIENT_ALWAYS,
				PointerClass.MALFORMED, PointerClass.LIVE, PointerClass.ARCHIVED, PointerClass.MISMATCHED)) {
			for (String id : registry.ids(kept)) {
				assertThat(this.bed.archiver().pointerOf(id)).as(kept + " " + id)
					.isEqualTo(registry.entry(id).watcherItemId());
			}
		}
		JsonNode report = ReportFiles.only(this.reportDir);
		JsonNode counts = report.get("counts");
		assertThat(counts.get("fromSnapshot").asLong()).isEqualTo(listed.size());
		assertThat(counts.get("live").asLong()).isEqualTo(12 + 3);
		assertThat(counts.get("archived").asLong()).isEqualTo(3);
		assertThat(counts.get("mismatched").asLong()).isEqualTo(3);
		assertThat(counts.get("gone").asLong()).isEqualTo(3);
		assertThat(counts.get("cleared").asLong()).isEqualTo(3);
		assertThat(counts.get("notFoundUnconfirmed").asLong()).isEqualTo(3);
		assertThat(counts.get("transient").asLong()).isEqualTo(3);
		assertThat(report.get("strategy").asString()).isEqualTo("snapshot");
		JsonNode snapshot = report.get("snapshot");
		assertThat(snapshot.get("used").asBoolean()).isTrue();
		assertThat(snapshot.get("items").asLong()).isEqualTo(listed.size());
		assertThat(snapshot.get("requests").asInt()).isEqualTo(1);
		assertThat(result.out()).contains("strategy snapshot (" + listed.size() + " WatchedItems");
		assertThat(snapshotRows()).as("the snapshot is deleted once the first pass ends").isZero();
	}

	@Test
	void reconcileWhenSnapshotWouldHoldMoreThanItsLimitSaysSoAndLooksUpEveryPointer() throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(6).gone(2));

		// when
		Result result = reconcile("--apply", "--strategy=snapshot", "--snapshot-max-items=4");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertFellBack(registry, "more than 4 WatchedItems (--snapshot-max-items)", result);
	}

	@Test
	void reconcileWhenSnapshotTakesLongerThanItsTimeoutSaysSoAndLooksUpEveryPointer() throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(6).gone(2));
		this.bed.watcher().listDelay(1500);

		// when
		Result result = reconcile("--apply", "--strategy=snapshot", "--snapshot-timeout=1s");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertFellBack(registry, "not taken within 1s (--snapshot-timeout)", result);
	}

	static Stream<Arguments> unusableLists() {
		return Stream.of(
				arguments("503 on every attempt", json(503, "Service Unavailable"), "HTTP 503 Service Unavailable"),
				arguments("route not found", json(404, WatcherBodies.ROUTE_NOT_FOUND), "list answered unexpected"),
				arguments("an HTML page", aResponse().withStatus(200).withBody(WatcherBodies.NGINX_NOT_FOUND),
						"not a complete JSON list"),
				arguments("cut short", json(200, "[" + WatcherBodies.live("01HZZWATCHER00000000000001", null)),
						"not a complete JSON list"),
				arguments("an object", json(200, WatcherBodies.ROUTE_NOT_FOUND), "not a JSON array"),
				arguments("an id twice",
						json(200,
								"[" + WatcherBodies.live("01HZZWATCHER00000000000001", null) + ","
										+ WatcherBodies.live("01HZZWATCHER00000000000001", null) + "]"),
						"more than once"),
				arguments("an item without an id", json(200, "[{\"archiver_info_item_id\":null}]"),
						"without a valid id"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unusableLists")
	void reconcileWhenListIsUnusableSaysSoAndLooksUpEveryPointer(String label, ResponseDefinitionBuilder answer,
			String reason) throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(6).gone(2));
		this.bed.watcher().listAnswers(answer);

		// when
		Result result = reconcile("--apply", "--strategy=snapshot", "--max-attempts=2");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertFellBack(registry, reason, result);
	}

	@Test
	void reconcileWhenSnapshotRunResumesTakesTheSnapshotAgain() throws Exception {
		// given a run that fails in its third chunk (an update refused), after the
		// snapshot
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(24).gone(6));
		List<RegistryFixture.Entry> entries = registry.entries();
		RegistryFixture.Entry rejected = entries.subList(10, 15)
			.stream()
			.filter((e) -> e.pointerClass() == PointerClass.GONE)
			.findFirst()
			.orElseThrow();
		JdbcTemplate jdbc = this.bed.database().jdbc();
		jdbc.execute("CREATE FUNCTION information.reject_update() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN RAISE EXCEPTION 'injected failure for %', OLD.info_item_id; END $$");
		jdbc.execute("CREATE TRIGGER reject_one BEFORE UPDATE ON information.info_items FOR EACH ROW WHEN "
				+ "(OLD.info_item_id = '" + rejected.infoItemId() + "') EXECUTE FUNCTION information.reject_update()");
		Result failed = reconcile("--apply", "--strategy=snapshot", "--chunk-size=5");
		assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
		// and, before the resume, a WatchedItem the first snapshot held is deleted
		RegistryFixture.Entry deletedSince = entries.subList(20, 30)
			.stream()
			.filter((e) -> e.pointerClass() == PointerClass.LIVE)
			.findFirst()
			.orElseThrow();
		this.bed.watcher().deleted(deletedSince.watcherItemId());
		jdbc.execute("DROP TRIGGER reject_one ON information.info_items");

		// when
		Result resumed = reconcile("--apply", "--strategy=snapshot", "--chunk-size=5");

		// then the resume took its own snapshot, which no longer holds the deleted item
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		assertThat(this.bed.watcher().listRequests()).hasSize(2);
		assertThat(this.bed.archiver().pointerOf(deletedSince.infoItemId())).isNull();
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(30);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(7);
		assertThat(report.get("snapshot").get("items").asLong()).isEqualTo(23);
		assertThat(snapshotRows()).isZero();
	}

	@Test
	void reconcileWhenAListedItemIsDeletedDuringTheRunKeepsItsPointerUntilTheNextRun() throws Exception {
		// given: the one way the strategies part: a WatchedItem the snapshot holds is
		// deleted after the snapshot, before its pointer is read. The snapshot decides
		// it as of its start: the pointer is kept, never cleared without a lookup
		FakeWatcher watcher = this.bed.watcher();
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), watcher, Mix.none().live(9).gone(1));
		List<RegistryFixture.Entry> entries = registry.entries();
		String sentinel = registry.entry(registry.ids(PointerClass.GONE).get(0)).watcherItemId();
		RegistryFixture.Entry last = entries.get(entries.size() - 1);
		assertThat(last.pointerClass()).isEqualTo(PointerClass.LIVE);
		watcher.onFirstRequestFor(sentinel, () -> watcher.deleted(last.watcherItemId()));

		// when
		Result first = reconcile("--apply", "--strategy=snapshot", "--chunk-size=2");
		Result next = ReconcilerRun.reconcile(this.bed.database(), watcher, this.reportDir.resolve("next"), "--apply",
				"--strategy=snapshot");

		// then
		assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
		assertThat(ReportFiles.only(this.reportDir).get("counts").get("cleared").asLong()).isEqualTo(1);
		assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
		assertThat(ReportFiles.only(this.reportDir.resolve("next")).get("counts").get("cleared").asLong()).isEqualTo(1);
		assertThat(this.bed.archiver().pointerOf(last.infoItemId())).isNull();
	}

	private void assertFellBack(RegistryFixture registry, String reason, Result result) throws Exception {
		JsonNode report = ReportFiles.only(this.reportDir);
		JsonNode snapshot = report.get("snapshot");
		assertThat(snapshot.get("used").asBoolean()).isFalse();
		assertThat(snapshot.get("items").asLong()).isZero();
		assertThat(snapshot.get("reason").asString()).contains(reason);
		assertThat(report.get("counts").get("fromSnapshot").asLong()).isZero();
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(2);
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(6);
		// every pointer looked up by id, as with the per-item strategy
		assertThat(this.bed.watcher().itemRequests().stream().map((request) -> request.getUrl()).distinct())
			.hasSize(8 + 1);
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
		assertThat(result.out()).contains("strategy snapshot, NOT USED (").contains(reason);
		assertThat(snapshotRows()).isZero();
		String markdown = ReconcilerRun.run(reportArgs(report.get("runId").asString(), "markdown")).out();
		assertThat(markdown).contains("**Snapshot not used:**");
		String html = ReconcilerRun.run(reportArgs(report.get("runId").asString(), "html")).out();
		assertThat(html).contains("data-alert=\"snapshot\"");
	}

	private long snapshotRows() {
		Long rows = this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".watcher_snapshot", Long.class);
		return (rows != null) ? rows : 0;
	}

	private Result reconcile(String... options) {
		return ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, options);
	}

	private String[] reportArgs(String runId, String format) {
		List<String> args = new ArrayList<>(List.of("report", "--run", runId, "--format", format));
		args.addAll(List.of(this.bed.database().springArgs()));
		return args.toArray(String[]::new);
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
