package io.cannobserv.reconciler.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.Ulids;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore --run ID [--apply]} through the command line, after a real applying run
 * cleared pointers: the rows, the restore audit, what it prints and its exit code.
 */
class RestoreIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	private static final String RELINKED = "01HZZRELINKED0000000000001";

	private static final int GONE = 8;

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	private RegistryFixture registry;

	/** The run that cleared the gone pointers. */
	private long runId;

	/** Every row right after that run. */
	private Map<String, Map<String, @Nullable Object>> afterClear;

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() {
		this.registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(6).gone(GONE));
	}

	/**
	 * An applying run clears the gone pointers; remembers its id and the rows it left.
	 */
	private void clearGonePointers() throws Exception {
		Result cleared = reconcile("--apply", "--chunk-size=5");
		assertThat(cleared.exitCode()).as(cleared.out() + cleared.err()).isZero();
		JsonNode report = report();
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(GONE);
		this.runId = report.get("runId").asLong();
		this.afterClear = this.bed.archiver().snapshot();
		for (String id : gone()) {
			assertThat(this.afterClear.get(id).get("watcher_item_id")).as(id).isNull();
		}
	}

	@Test
	void restoreWhenDryRunChangesNothingAndSaysWhatItWouldRestore() throws Exception {
		// given
		clearGonePointers();

		// when
		Result result = restore("--run", String.valueOf(this.runId));

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().snapshot()).isEqualTo(this.afterClear);
		assertThat(restoreRows()).isEmpty();
		assertThat(result.out())
			.contains("Restore of run " + this.runId + " (dry-run): " + GONE + " pointer(s) to put back, would restore "
					+ GONE + ", left alone 0")
			.contains("run with --apply to restore");
	}

	@Test
	void restoreWhenApplyingPutsBackEveryPointerNotTouchedSinceAndLeavesTheOthersAlone() throws Exception {
		// given one InfoItem re-linked and one deleted since the clear
		clearGonePointers();
		List<String> gone = gone();
		String relinked = gone.get(2);
		String deleted = gone.get(5);
		this.bed.archiver().setPointer(relinked, RELINKED);
		this.bed.database().jdbc().update("DELETE FROM information.info_items WHERE info_item_id = ?", deleted);
		Map<String, Map<String, @Nullable Object>> beforeRestore = this.bed.archiver().snapshot();
		Result preview = restore("--run", String.valueOf(this.runId));
		assertThat(preview.out()).contains("would restore " + (GONE - 2) + ", left alone 2");
		assertThat(this.bed.archiver().snapshot()).isEqualTo(beforeRestore);

		// when
		Result result = restore("--run", String.valueOf(this.runId), "--apply");

		// then every other pointer is back, exactly, with updated_at bumped and nothing
		// else changed
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		Map<String, Map<String, @Nullable Object>> after = this.bed.archiver().snapshot();
		for (String id : gone) {
			if (id.equals(relinked) || id.equals(deleted)) {
				continue;
			}
			Map<String, @Nullable Object> row = after.get(id);
			assertThat(row.get("watcher_item_id")).as(id).isEqualTo(this.registry.entry(id).watcherItemId());
			assertThat((Instant) row.get("updated_at")).as(id)
				.isAfter((Instant) this.afterClear.get(id).get("updated_at"));
			assertThat(withoutPointerAndTime(row)).as(id).isEqualTo(withoutPointerAndTime(this.afterClear.get(id)));
		}
		assertThat(after.get(relinked)).isEqualTo(beforeRestore.get(relinked));
		assertThat(after.get(relinked).get("watcher_item_id")).isEqualTo(RELINKED);
		assertThat(after).doesNotContainKey(deleted);
		for (String id : this.registry.ids(PointerClass.LIVE)) {
			assertThat(after.get(id)).as(id).isEqualTo(this.afterClear.get(id));
		}
		// and every decision is in the audit, tied to the clear it undoes
		List<Map<String, Object>> rows = restoreRows();
		assertThat(rows).hasSize(GONE);
		Map<String, Map<String, Object>> byId = new HashMap<>();
		rows.forEach((row) -> byId.put((String) row.get("info_item_id"), row));
		assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(gone);
		for (String id : gone) {
			Map<String, Object> row = byId.get(id);
			assertThat(((Number) row.get("run_id")).longValue()).as(id).isEqualTo(this.runId);
			assertThat(row.get("watcher_item_id")).as(id).isEqualTo(this.registry.entry(id).watcherItemId());
			assertThat(((Number) row.get("clear_id")).longValue()).as(id).isEqualTo(clearIdOf(id));
			String outcome = (String) row.get("outcome");
			if (id.equals(relinked)) {
				assertThat(outcome).isEqualTo("LEFT_ALONE");
				assertThat((String) row.get("detail")).isEqualTo("re-linked since, to " + RELINKED);
			}
			else if (id.equals(deleted)) {
				assertThat(outcome).isEqualTo("LEFT_ALONE");
				assertThat((String) row.get("detail")).isEqualTo("the InfoItem no longer exists");
			}
			else {
				assertThat(outcome).as(id).isEqualTo("RESTORED");
			}
		}
		assertThat(result.out())
			.contains("Restore of run " + this.runId + " (apply): " + GONE + " pointer(s) to put back, restored "
					+ (GONE - 2) + ", left alone 2")
			.contains(relinked + " -> " + this.registry.entry(relinked).watcherItemId()
					+ "  left alone: re-linked since, to " + RELINKED)
			.contains(deleted + " -> " + this.registry.entry(deleted).watcherItemId()
					+ "  left alone: the InfoItem no longer exists");
	}

	@Test
	void restoreWhenAppliedTwiceRestoresNothingMore() throws Exception {
		// given a restore that put every pointer back
		clearGonePointers();
		Result first = restore("--run", String.valueOf(this.runId), "--apply");
		assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
		assertThat(first.out()).contains("restored " + GONE);
		Map<String, Map<String, @Nullable Object>> afterFirst = this.bed.archiver().snapshot();
		for (String id : gone()) {
			assertThat(afterFirst.get(id).get("watcher_item_id")).as(id)
				.isEqualTo(this.registry.entry(id).watcherItemId());
		}

		// when
		Result second = restore("--run", String.valueOf(this.runId), "--apply");

		// then
		assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
		assertThat(second.out()).contains("0 pointer(s) to put back, restored 0, left alone 0");
		assertThat(this.bed.archiver().snapshot()).isEqualTo(afterFirst);
		assertThat(restoreRows()).hasSize(GONE)
			.allSatisfy((row) -> assertThat(row.get("outcome")).isEqualTo("RESTORED"));
	}

	@Test
	void restoreWhenALaterRunClearedTheItemAgainLeavesItToThatRunAndNamesIt() throws Exception {
		// given run A cleared X (pointer a), X was re-linked to b, and run B cleared X
		// (pointer b: deleted in Watcher too)
		clearGonePointers();
		long runA = this.runId;
		String x = gone().get(3);
		String a = this.registry.entry(x).watcherItemId();
		String b = Ulids.of("01HZZNEW", 1);
		this.bed.archiver().setPointer(x, b);
		Result runB = reconcile("--apply", "--chunk-size=5");
		assertThat(runB.exitCode()).as(runB.out() + runB.err()).isZero();
		long runBId = lastClearOf(x).runId();
		assertThat(runBId).isNotEqualTo(runA);
		assertThat(lastClearOf(x).watcherItemId()).isEqualTo(b);
		assertThat(this.bed.archiver().pointerOf(x)).isNull();
		Map<String, Map<String, @Nullable Object>> beforeRestore = this.bed.archiver().snapshot();
		String superseded = x + " -> " + a + "  superseded: cleared again since, by run " + runBId + " (pointer " + b
				+ ")";

		// when A is undone, in a dry run then for real
		Result preview = restore("--run", String.valueOf(runA));
		assertThat(this.bed.archiver().snapshot()).isEqualTo(beforeRestore);
		Result undoA = restore("--run", String.valueOf(runA), "--apply");

		// then X is left to run B, named, and the dry run said exactly that
		assertThat(undoA.exitCode()).as(undoA.out() + undoA.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(x)).isNull();
		assertThat(this.bed.archiver().snapshot().get(x)).isEqualTo(beforeRestore.get(x));
		for (String id : gone()) {
			if (!id.equals(x)) {
				assertThat(this.bed.archiver().pointerOf(id)).as(id).isEqualTo(this.registry.entry(id).watcherItemId());
			}
		}
		assertThat(undoA.out()).contains("restored " + (GONE - 1) + ", left alone 0, superseded 1")
			.contains(superseded);
		assertThat(preview.out()).contains("would restore " + (GONE - 1) + ", left alone 0, superseded 1")
			.contains(superseded);
		assertThat(pointerLines(preview)).isEqualTo(pointerLines(undoA));
		Map<String, Object> decision = restoreRowOf(runA, x);
		assertThat(decision.get("outcome")).isEqualTo("SUPERSEDED");
		assertThat(decision.get("detail")).isEqualTo("cleared again since, by run " + runBId + " (pointer " + b + ")");

		// when B is undone
		Result undoB = restore("--run", String.valueOf(runBId), "--apply");

		// then X gets back the pointer B cleared, its last one
		assertThat(undoB.exitCode()).as(undoB.out() + undoB.err()).isZero();
		assertThat(undoB.out()).contains("restored 1, left alone 0, superseded 0");
		assertThat(this.bed.archiver().pointerOf(x)).isEqualTo(b);
		assertThat(restoreRowOf(runBId, x).get("outcome")).isEqualTo("RESTORED");
	}

	@Test
	void restoreWhenArchiverChangedTheItemSinceTheClearLeavesItAsItIs() throws Exception {
		// given, since run A's clear: one InfoItem re-linked, then unlinked again by
		// Archiver itself (its dashboard's self-heal); another one edited
		clearGonePointers();
		String unlinked = gone().get(1);
		String edited = gone().get(4);
		this.bed.archiver().setPointer(unlinked, Ulids.of("01HZZNEW", 2));
		this.bed.archiver().setPointer(unlinked, null);
		this.bed.database()
			.jdbc()
			.update("UPDATE information.info_items SET name = 'renamed', updated_at = now() WHERE info_item_id = ?",
					edited);
		Map<String, Map<String, @Nullable Object>> beforeRestore = this.bed.archiver().snapshot();

		// when
		Result preview = restore("--run", String.valueOf(this.runId));
		Result result = restore("--run", String.valueOf(this.runId), "--apply");

		// then neither gets its old pointer back: each says what the clear left and what
		// the row holds now
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		Map<String, Map<String, @Nullable Object>> after = this.bed.archiver().snapshot();
		assertThat(after.get(unlinked)).isEqualTo(beforeRestore.get(unlinked));
		assertThat(after.get(edited)).isEqualTo(beforeRestore.get(edited));
		for (String id : List.of(unlinked, edited)) {
			String detail = "changed in Archiver since the clear (updated_at " + this.bed.archiver().updatedAt(id)
					+ ", the clear left " + this.afterClear.get(id).get("updated_at") + ")";
			assertThat(result.out()).as(id)
				.contains(id + " -> " + this.registry.entry(id).watcherItemId() + "  superseded: " + detail);
			Map<String, Object> decision = restoreRowOf(this.runId, id);
			assertThat(decision.get("outcome")).as(id).isEqualTo("SUPERSEDED");
			assertThat(decision.get("detail")).as(id).isEqualTo(detail);
		}
		assertThat(result.out()).contains("restored " + (GONE - 2) + ", left alone 0, superseded 2");
		assertThat(preview.out()).contains("would restore " + (GONE - 2) + ", left alone 0, superseded 2");
		assertThat(pointerLines(preview)).isEqualTo(pointerLines(result));
	}

	@Test
	void restoreWhenRunIsMissingExitsTwoWithOneLineNamingTheOption() {
		// given
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();

		// when
		Result result = restore("--apply");

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n").contains("restore --run ID");
		assertThat(result.out()).isEmpty();
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
	}

	@Test
	void restoreWhenRunDoesNotExistExitsTwoSayingSo() throws Exception {
		// given
		clearGonePointers();

		// when
		Result result = restore("--run", "999", "--apply");

		// then
		assertThat(this.runId).isNotEqualTo(999);
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n")
			.contains("Run 999 cleared no pointers (or does not exist)");
		assertThat(this.bed.archiver().snapshot()).isEqualTo(this.afterClear);
		assertThat(restoreRows()).isEmpty();
	}

	@Test
	void restoreWhenRunWasADryRunExitsTwoSayingItClearedNothing() throws Exception {
		// given a dry run, which found pointers to clear
		Result dryRun = reconcile();
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
		JsonNode report = report();
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(GONE);
		long dryRunId = report.get("runId").asLong();
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();

		// when
		Result result = restore("--run", String.valueOf(dryRunId), "--apply");

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n").contains("Run " + dryRunId + " cleared no pointers");
		assertThat(this.bed.archiver().snapshot()).isEqualTo(before);
		assertThat(restoreRows()).isEmpty();
	}

	@Test
	void restoreWhenRunWasMadeOnAnotherTableRefusesInOneLineAndChangesNothing() throws Exception {
		// given a run on Archiver's table, and a restore configured for a copy of it
		// (which exists: preflight refuses a table that does not)
		clearGonePointers();
		this.bed.database().jdbc().execute("CREATE TABLE information.info_items_copy AS TABLE information.info_items");

		// when
		Result result = restore("--run", String.valueOf(this.runId), "--apply",
				"--reconciler.archiver.table=info_items_copy");

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n")
			.contains("Run " + this.runId + " reconciled information.info_items(info_item_id,watcher_item_id), not the "
					+ "configured information.info_items_copy(info_item_id,watcher_item_id)");
		assertThat(this.bed.archiver().snapshot()).isEqualTo(this.afterClear);
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM information.info_items_copy WHERE watcher_item_id IS NULL",
					Long.class))
			.isEqualTo(GONE);
		assertThat(restoreRows()).isEmpty();
	}

	private Result restore(String... options) {
		List<String> args = new ArrayList<>(List.of("restore"));
		args.addAll(List.of(this.bed.database().springArgs()));
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private List<String> gone() {
		List<String> gone = this.registry.ids(PointerClass.GONE);
		assertThat(gone).hasSize(GONE);
		return gone;
	}

	private long clearIdOf(String infoItemId) {
		Long clearId = this.bed.database()
			.jdbc()
			.queryForObject(
					"SELECT clear_id FROM " + JOB_SCHEMA + ".pointer_clear WHERE run_id = ? AND info_item_id = ?",
					Long.class, this.runId, infoItemId);
		assertThat(clearId).isNotNull();
		return clearId;
	}

	/** The last clear of an InfoItem, by any run. */
	private LastClear lastClearOf(String infoItemId) {
		return this.bed.database()
			.jdbc()
			.queryForObject(
					"SELECT run_id, watcher_item_id FROM " + JOB_SCHEMA
							+ ".pointer_clear WHERE info_item_id = ? ORDER BY clear_id DESC LIMIT 1",
					(rs, i) -> new LastClear(rs.getLong(1), rs.getString(2)), infoItemId);
	}

	private Map<String, Object> restoreRowOf(long runId, String infoItemId) {
		return this.bed.database()
			.jdbc()
			.queryForMap("SELECT outcome, detail FROM " + JOB_SCHEMA
					+ ".pointer_restore WHERE run_id = ? AND info_item_id = ?", runId, infoItemId);
	}

	/** The lines a restore prints for the pointers it does not put back. */
	private static List<String> pointerLines(Result result) {
		return result.out().lines().filter((line) -> line.startsWith("    ")).toList();
	}

	private List<Map<String, Object>> restoreRows() {
		JdbcTemplate jdbc = this.bed.database().jdbc();
		return jdbc.queryForList("SELECT clear_id, run_id, info_item_id, watcher_item_id, outcome, detail FROM "
				+ JOB_SCHEMA + ".pointer_restore ORDER BY restore_id");
	}

	private static Map<String, @Nullable Object> withoutPointerAndTime(Map<String, @Nullable Object> row) {
		Map<String, @Nullable Object> rest = new HashMap<>(row);
		rest.remove("watcher_item_id");
		rest.remove("updated_at");
		return rest;
	}

	private record LastClear(long runId, String watcherItemId) {
	}

	private JsonNode report() throws Exception {
		try (var files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return this.json.readTree(reports.get(0).toFile());
		}
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
