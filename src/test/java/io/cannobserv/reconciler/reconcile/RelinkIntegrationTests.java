package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.Ulids;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --relink} through the command line: a gone or mismatched pointer goes to the one
 * WatchedItem that Watcher's list names for its InfoItem and a lookup of it by id
 * confirms; anything else falls back to what the job did without it. On real PostgreSQL
 * and a fake Watcher whose list and lookups answer from one set of items.
 */
class RelinkIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenApplyingWithRelinkRelinksConfirmedPointersAndFallsBackForTheRest() throws Exception {
		// given
		FakeWatcher watcher = this.bed.watcher();
		// gone, and another WatchedItem tracks the InfoItem: re-linked
		watcher.deleted(pointer(1));
		watcher.live(candidate(1), item(1));
		// links back to another InfoItem, and an archived WatchedItem tracks this one:
		// re-linked, archived ones included
		watcher.mismatched(pointer(2), other(2));
		watcher.archived(candidate(2), item(2));
		// gone, nothing tracks the InfoItem: cleared, as without --relink
		watcher.deleted(pointer(3));
		// gone, two WatchedItems claim the InfoItem: ambiguous, cleared
		watcher.deleted(pointer(4));
		watcher.live(candidate(4), item(4));
		watcher.live(other(4), item(4));
		// gone, the list names a WatchedItem whose lookup says it is deleted: cleared
		watcher.deleted(pointer(5));
		watcher.listedOnly(candidate(5), item(5), false);
		// gone, the list names a WatchedItem whose lookup links it elsewhere: cleared
		watcher.deleted(pointer(6));
		watcher.mismatched(candidate(6), other(6));
		watcher.listedOnly(candidate(6), item(6), false);
		// linked elsewhere, nothing tracks the InfoItem: kept, as without --relink
		watcher.mismatched(pointer(7), other(7));
		// live: never searched
		watcher.live(pointer(8), item(8));
		// gone, and the list names the pointer's own WatchedItem: cleared
		watcher.deleted(pointer(9));
		watcher.listedOnly(pointer(9), item(9), false);
		insertItems(9);
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();

		// when
		Result result = reconcile("--apply", "--relink", "--chunk-size=4");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		ArchiverDatabase archiver = this.bed.archiver();
		assertThat(archiver.pointerOf(item(1))).isEqualTo(candidate(1));
		assertThat(archiver.pointerOf(item(2))).isEqualTo(candidate(2));
		for (int n : List.of(3, 4, 5, 6, 9)) {
			assertThat(archiver.pointerOf(item(n))).as("item %d", n).isNull();
		}
		assertThat(archiver.pointerOf(item(7))).isEqualTo(pointer(7));
		assertThat(archiver.snapshot().get(item(7))).isEqualTo(before.get(item(7)));
		assertThat(archiver.snapshot().get(item(8))).isEqualTo(before.get(item(8)));
		for (int n : List.of(1, 2)) {
			assertThat(archiver.updatedAt(item(n))).isAfter(ArchiverDatabase.FIXED_TIME);
			assertThat(archiver.watchStatusSnapshot()).as("the old WatchedItem's cached status")
				.doesNotContainKey(item(n));
		}
		assertThat(archiver.watchStatusSnapshot()).containsKeys(item(7), item(8));
		// audited with both ids and Watcher's answers
		List<Map<String, Object>> relinks = jdbc().queryForList("SELECT info_item_id, watcher_item_id, relinked_to,"
				+ " http_status, evidence, list_evidence, confirm_evidence FROM " + JOB_SCHEMA
				+ ".pointer_clear WHERE relinked_to IS NOT NULL ORDER BY info_item_id");
		assertThat(relinks).hasSize(2);
		assertThat(relinks.get(0)).containsEntry("info_item_id", item(1))
			.containsEntry("watcher_item_id", pointer(1))
			.containsEntry("relinked_to", candidate(1))
			.containsEntry("http_status", 404);
		assertThat((String) relinks.get(0).get("evidence")).contains("WatchedItem not found");
		assertThat((String) relinks.get(0).get("list_evidence")).contains("1 WatchedItem(s) link back to " + item(1))
			.contains(candidate(1));
		assertThat((String) relinks.get(0).get("confirm_evidence")).contains("lookup of " + candidate(1))
			.contains("HTTP 200 active")
			.contains("links back to " + item(1));
		assertThat(relinks.get(1)).containsEntry("info_item_id", item(2)).containsEntry("relinked_to", candidate(2));
		assertThat((String) relinks.get(1).get("evidence")).contains("links back to InfoItem " + other(2));
		assertThat((String) relinks.get(1).get("confirm_evidence")).contains("archived_at=");
		assertThat(jdbc().queryForList("SELECT info_item_id FROM " + JOB_SCHEMA
				+ ".pointer_clear WHERE relinked_to IS NULL ORDER BY info_item_id", String.class))
			.containsExactly(item(3), item(4), item(5), item(6), item(9));
		// the report says what happened, and why not for the others
		JsonNode report = ReportFiles.only(this.reportDir);
		JsonNode counts = report.get("counts");
		assertThat(counts.get("moved").asLong()).isEqualTo(2);
		assertThat(counts.get("relinked").asLong()).isEqualTo(2);
		assertThat(counts.get("gone").asLong()).isEqualTo(5);
		assertThat(counts.get("cleared").asLong()).isEqualTo(5);
		assertThat(counts.get("mismatched").asLong()).isEqualTo(1);
		assertThat(counts.get("live").asLong()).isEqualTo(1);
		assertThat(report.get("relink").asBoolean()).isTrue();
		assertThat(report.get("relinked").findValuesAsString("relinkedTo")).containsExactly(candidate(1), candidate(2));
		assertThat(evidenceOf(report.get("cleared"), item(3))).contains("not re-linked").contains("0 WatchedItem(s)");
		assertThat(evidenceOf(report.get("cleared"), item(4))).contains("2 WatchedItem(s) link back");
		assertThat(evidenceOf(report.get("cleared"), item(5))).contains("did not confirm")
			.contains("WatchedItem not found");
		assertThat(evidenceOf(report.get("cleared"), item(6))).contains("links back to " + other(6));
		assertThat(evidenceOf(report.get("cleared"), item(9))).contains("the pointer's own WatchedItem");
		assertThat(evidenceOf(report.get("skipped"), item(7))).contains("not re-linked");
		assertThat(result.out()).contains("re-linked 2")
			.contains(item(1) + " -> " + pointer(1) + ", now -> " + candidate(1));
		// the list is asked only about the gone and mismatched pointers
		assertThat(watcher.listRequests()).hasSize(8)
			.allMatch((query) -> query.contains("include_archived=true") && query.contains("archiver_info_item_id="));
		assertThat(watcher.listRequests()).noneMatch((query) -> query.contains(item(8)));
		// every format of the report shows the re-links
		String runId = report.get("runId").asString();
		for (String format : List.of("text", "markdown", "html", "json")) {
			Result shown = ReconcilerRun.run(reportArgs(runId, format));
			assertThat(shown.exitCode()).as(shown.err()).isZero();
			assertThat(shown.out()).as(format).contains(candidate(1)).contains(candidate(2));
		}
	}

	@Test
	void reconcileWhenDryRunWithRelinkWritesNothingAndReportsWhatItWouldRelink() throws Exception {
		// given
		FakeWatcher watcher = this.bed.watcher();
		watcher.deleted(pointer(1));
		watcher.live(candidate(1), item(1));
		watcher.deleted(pointer(2));
		insertItems(2);
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		Map<String, Map<String, @Nullable Object>> statusBefore = this.bed.archiver().watchStatusSnapshot();

		// when
		Result result = reconcile("--relink");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		assertThat(this.bed.archiver().watchStatusSnapshot()).isEqualTo(statusBefore);
		assertThat(jdbc().queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".pointer_clear", Long.class)).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("counts").get("wouldRelink").asLong()).isEqualTo(1);
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(1);
		assertThat(report.get("counts").get("relinked").asLong()).isZero();
		JsonNode wouldRelink = report.get("wouldRelink");
		assertThat(wouldRelink).hasSize(1);
		assertThat(wouldRelink.get(0).get("infoItemId").asString()).isEqualTo(item(1));
		assertThat(wouldRelink.get(0).get("relinkedTo").asString()).isEqualTo(candidate(1));
		assertThat(wouldRelink.get(0).get("confirmEvidence").asString()).contains("links back to " + item(1));
		assertThat(report.get("skipped")).isEmpty();
		assertThat(result.out()).contains("would re-link 1").contains("would clear 1");
	}

	@Test
	void reconcileWhenListGetsNoAnswerInTheFirstPassRelinksInTheRecheck() throws Exception {
		// given: the first list request gets a 503 from a proxy, the next the list
		FakeWatcher watcher = this.bed.watcher();
		watcher.deleted(pointer(1));
		watcher.live(candidate(1), item(1));
		watcher.listAnswers(aResponse().withStatus(503).withBody("Service Unavailable"), 1);
		insertItems(1);

		// when
		Result result = reconcile("--apply", "--relink");

		// then: a blip costs a recheck, not the re-link
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(item(1))).isEqualTo(candidate(1));
		JsonNode counts = ReportFiles.only(this.reportDir).get("counts");
		assertThat(counts.get("relinked").asLong()).isEqualTo(1);
		assertThat(counts.get("transient").asLong()).isZero();
		assertThat(watcher.listRequests()).hasSize(2);
	}

	@Test
	void reconcileWhenListNeverAnswersFallsBackToClearingTheGonePointer() throws Exception {
		// given
		FakeWatcher watcher = this.bed.watcher();
		watcher.deleted(pointer(1));
		watcher.live(candidate(1), item(1));
		watcher.mismatched(pointer(2), other(2));
		watcher.listAnswers(aResponse().withStatus(503).withBody("Service Unavailable"));
		insertItems(2);

		// when
		Result result = reconcile("--apply", "--relink", "--max-attempts=2");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(item(1))).isNull();
		assertThat(this.bed.archiver().pointerOf(item(2))).isEqualTo(pointer(2));
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(1);
		assertThat(report.get("counts").get("mismatched").asLong()).isEqualTo(1);
		assertThat(evidenceOf(report.get("cleared"), item(1))).contains("not re-linked, no answer")
			.contains("HTTP 503");
		// once in the first pass, twice in the recheck, per pointer
		assertThat(watcher.listRequests()).hasSize(6);
	}

	@Test
	void reconcileWhenRowChangesBeforeTheRelinkIsWrittenLeavesItAlone() throws Exception {
		// given: Archiver re-points the InfoItem while Watcher is asked about it
		FakeWatcher watcher = this.bed.watcher();
		watcher.deleted(pointer(1));
		watcher.live(candidate(1), item(1));
		String elsewhere = Ulids.of("01HZZHAND", 1);
		watcher.onFirstRequestFor(candidate(1), () -> this.bed.archiver().setPointer(item(1), elsewhere));
		insertItems(1);

		// when
		Result result = reconcile("--apply", "--relink");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(item(1))).isEqualTo(elsewhere);
		assertThat(jdbc().queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".pointer_clear", Long.class)).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("counts").get("relinkChangedConcurrently").asLong()).isEqualTo(1);
		assertThat(report.get("counts").get("relinked").asLong()).isZero();
		assertThat(report.get("skipped").get(0).get("verdict").asString())
			.isEqualTo(Outcome.RELINK_CHANGED_CONCURRENTLY.jsonName());
	}

	@Test
	void reconcileWhenRelinksPassTheBrakeHaltsBeforeWritingThem() throws Exception {
		// given: every pointer moved, as a Watcher of the wrong environment might say
		FakeWatcher watcher = this.bed.watcher();
		for (int n = 1; n <= 6; n++) {
			watcher.deleted(pointer(n));
			watcher.live(candidate(n), item(n));
		}
		insertItems(6);
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();

		// when
		Result result = reconcile("--apply", "--relink", "--brake-min-sample=5");

		// then: counted like clears, as gone
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		JsonNode brake = ReportFiles.only(this.reportDir).get("brake");
		assertThat(brake.get("state").asString()).isEqualTo("tripped");
		assertThat(brake.get("message").asString()).startsWith("6 of 6 checked pointers (100%) are gone,");
	}

	@Test
	void restoreWhenRunRelinkedPutsOldPointersBackOnlyWhereRowsStillHoldTheRelink() throws Exception {
		// given run 1 re-links three pointers
		FakeWatcher watcher = this.bed.watcher();
		for (int n = 1; n <= 3; n++) {
			watcher.deleted(pointer(n));
			watcher.live(candidate(n), item(n));
		}
		insertItems(3);
		Result relinked = reconcile("--apply", "--relink");
		assertThat(relinked.exitCode()).as(relinked.out() + relinked.err()).isZero();
		long run = ReportFiles.only(this.reportDir).get("runId").asLong();
		// then Archiver re-points item 2, and the WatchedItem item 3 was re-linked to is
		// deleted: run 2 clears it
		String elsewhere = Ulids.of("01HZZHAND", 2);
		watcher.live(elsewhere, item(2));
		this.bed.archiver().setPointer(item(2), elsewhere);
		watcher.deleted(candidate(3));
		Result cleared = ReconcilerRun.reconcile(this.bed.database(), watcher, this.reportDir.resolve("second"),
				"--apply");
		assertThat(cleared.exitCode()).as(cleared.out() + cleared.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(item(3))).isNull();

		// when
		Result dryRun = restore(run, false);
		Result restore = restore(run, true);

		// then only item 1 still holds what run 1 set
		assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
		assertThat(dryRun.out()).contains("would restore 1").contains("left alone 1").contains("superseded 1");
		assertThat(restore.exitCode()).as(restore.err()).isZero();
		assertThat(restore.out()).contains("restored 1").contains("left alone 1").contains("superseded 1");
		assertThat(restore.out()).contains(item(2)).contains("changed since the re-link, to " + elsewhere);
		assertThat(restore.out()).contains(item(3)).contains("cleared again since, by run");
		assertThat(this.bed.archiver().pointerOf(item(1))).isEqualTo(pointer(1));
		assertThat(this.bed.archiver().pointerOf(item(2))).isEqualTo(elsewhere);
		assertThat(this.bed.archiver().pointerOf(item(3))).isNull();
		assertThat(jdbc().queryForList(
				"SELECT outcome FROM " + JOB_SCHEMA + ".pointer_restore WHERE run_id = ? ORDER BY info_item_id",
				String.class, run))
			.containsExactly("RESTORED", "LEFT_ALONE", "SUPERSEDED");
	}

	private Result reconcile(String... options) {
		return ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, options);
	}

	private Result restore(long run, boolean apply) {
		List<String> args = new ArrayList<>(List.of("restore", "--run", String.valueOf(run)));
		if (apply) {
			args.add("--apply");
		}
		args.addAll(List.of(this.bed.database().springArgs()));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private String[] reportArgs(String runId, String format) {
		List<String> args = new ArrayList<>(List.of("report", "--run", runId, "--format", format));
		args.addAll(List.of(this.bed.database().springArgs()));
		return args.toArray(String[]::new);
	}

	/** InfoItems 1 to {@code count}, each pointing to its WatchedItem. */
	private void insertItems(int count) {
		List<ArchiverDatabase.Item> items = new ArrayList<>();
		for (int n = 1; n <= count; n++) {
			items.add(new ArchiverDatabase.Item(item(n), pointer(n)));
		}
		this.bed.archiver().insertItems(items);
	}

	private JdbcTemplate jdbc() {
		return this.bed.database().jdbc();
	}

	private static String evidenceOf(JsonNode items, String infoItemId) {
		for (JsonNode item : items) {
			if (item.get("infoItemId").asString().equals(infoItemId)) {
				return item.has("evidence") ? item.get("evidence").asString() : item.get("reason").asString();
			}
		}
		throw new AssertionError("No item for InfoItem " + infoItemId + " in " + items);
	}

	static String item(int n) {
		return Ulids.infoItem(n);
	}

	static String pointer(int n) {
		return Ulids.watchedItem(n);
	}

	/** The WatchedItem that tracks InfoItem n instead of its pointer. */
	static String candidate(int n) {
		return Ulids.of("01HZZNEW", n);
	}

	/** Another InfoItem, or another WatchedItem. */
	static String other(int n) {
		return Ulids.of("01HZZSWAP", n);
	}

}
