package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.WatcherBodies;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both strategies over the same registry, with WatchedItems created and deleted while the
 * run goes on, end with the same clears, the same re-links and the same outcomes. The
 * events happen when Watcher is first asked about a sentinel pointer, which both
 * strategies look up by id (it is gone, so no snapshot holds it), in the middle of the
 * run: after the snapshot, between the chunks that read the pointers they concern.
 * <p>
 * The one way the strategies part, a WatchedItem the snapshot holds deleted before its
 * pointer is read, is {@code SnapshotIntegrationTests}' to show.
 */
class StrategyEquivalenceIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** Pointers per chunk: the sentinel's chunk is the third. */
	private static final int CHUNK = 5;

	@TempDir
	Path reportDirs;

	@Test
	void reconcileWhenRegistryChangesDuringTheRunClearsAndRelinksTheSameWithEitherStrategy() throws Exception {
		// when
		Outcomes perItem = run("per-item");
		Outcomes snapshot = run("snapshot");

		// then
		assertThat(snapshot.pointers()).isEqualTo(perItem.pointers());
		assertThat(snapshot.written()).isEqualTo(perItem.written());
		assertThat(snapshot.verdicts()).isEqualTo(perItem.verdicts());
		assertThat(snapshot.counts()).isEqualTo(perItem.counts());
		// and they are what the events make of the registry
		Map<String, @Nullable String> pointers = perItem.pointers();
		assertThat(pointers.get(item(3))).as("gone before the run").isNull();
		assertThat(pointers.get(item(9))).as("deleted after its pointer was read").isEqualTo(pointer(9));
		assertThat(pointers.get(item(11))).as("the sentinel, gone").isNull();
		assertThat(pointers.get(item(16))).as("created and pointed to during the run").isEqualTo(created(16));
		assertThat(pointers.get(item(17))).as("created and deleted during the run").isNull();
		assertThat(pointers.get(item(18))).as("its tracker created during the run").isEqualTo(created(18));
		assertThat(pointers.get(item(22))).as("mismatched, tracked by another").isEqualTo(created(22));
		assertThat(pointers.get(item(23))).as("mismatched, tracked by none").isEqualTo(pointer(23));
		assertThat(perItem.counts().get("relinked").asLong()).isEqualTo(2);
		assertThat(perItem.counts().get("cleared").asLong()).isEqualTo(4);
		// the snapshot saved the lookups of the pointers it held
		assertThat(snapshot.counts().get("read").asLong()).isEqualTo(perItem.counts().get("read").asLong());
		assertThat(snapshot.fromSnapshot()).isPositive();
		assertThat(snapshot.lookups()).isLessThan(perItem.lookups() - snapshot.fromSnapshot() + 1);
	}

	/**
	 * One applying run with re-links on a fresh registry and Watcher; the events happen
	 * when the sentinel is first looked up.
	 */
	private Outcomes run(String strategy) throws Exception {
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			List<ArchiverDatabase.Item> items = new ArrayList<>();
			// chunk 1: one of each kind
			watcher.live(pointer(1), item(1));
			watcher.archived(pointer(2), item(2));
			watcher.deleted(pointer(3));
			watcher.mismatched(pointer(4), Ulids.of("01HZZSWAP", 4));
			watcher.notFoundUnconfirmed(pointer(5), WatcherBodies.ROUTE_NOT_FOUND);
			// chunk 2: transient, flaky, malformed, and one the events delete once read
			watcher.failing(pointer(6), 503);
			watcher.flakyThenLive(pointer(7), item(7), 1);
			watcher.live(pointer(9), item(9));
			watcher.live(pointer(10), item(10));
			// chunk 3: the sentinel, gone
			watcher.deleted(pointer(11));
			for (int n = 12; n <= 15; n++) {
				watcher.live(pointer(n), item(n));
			}
			// chunk 4 and on, read after the events
			watcher.deleted(pointer(18));
			watcher.live(pointer(19), item(19));
			watcher.deleted(pointer(20));
			watcher.live(pointer(21), item(21));
			watcher.mismatched(pointer(22), Ulids.of("01HZZSWAP", 22));
			watcher.live(created(22), item(22));
			watcher.mismatched(pointer(23), Ulids.of("01HZZSWAP", 23));
			watcher.archived(pointer(24), item(24));
			for (int n = 1; n <= 24; n++) {
				String pointer = switch (n) {
					case 8 -> "not-a-ulid";
					case 16, 17 -> null;
					default -> pointer(n);
				};
				items.add(new ArchiverDatabase.Item(item(n), pointer));
			}
			archiver.insertItems(items);
			watcher.onFirstRequestFor(pointer(11), () -> {
				// read already: deleted, the verdict stands
				watcher.deleted(pointer(9));
				// created, and Archiver begins watching it
				watcher.live(created(16), item(16));
				archiver.setPointer(item(16), created(16));
				// created, pointed to, and deleted again before its pointer is read
				watcher.live(created(17), item(17));
				archiver.setPointer(item(17), created(17));
				watcher.deleted(created(17));
				// the WatchedItem that tracks a gone pointer's InfoItem instead
				watcher.live(created(18), item(18));
			});
			Path reports = this.reportDirs.resolve(strategy);
			Result result = ReconcilerRun.reconcile(database, watcher, reports, "--apply", "--relink",
					"--strategy=" + strategy, "--chunk-size=" + CHUNK);
			assertThat(result.exitCode()).as(strategy + ": " + result.out() + result.err()).isZero();
			JsonNode report = ReportFiles.only(reports);
			assertThat(report.get("strategy").asString()).isEqualTo(strategy);
			Map<String, @Nullable String> pointers = new TreeMap<>();
			archiver.snapshot().forEach((id, row) -> pointers.put(id, (String) row.get("watcher_item_id")));
			List<String> written = database.jdbc()
				.queryForList("SELECT info_item_id || ' ' || watcher_item_id || ' -> ' || coalesce(relinked_to, '-')"
						+ " FROM " + JOB_SCHEMA + ".pointer_clear ORDER BY info_item_id", String.class);
			List<String> verdicts = database.jdbc()
				.queryForList("SELECT info_item_id || ' ' || verdict FROM " + JOB_SCHEMA
						+ ".pointer_finding ORDER BY info_item_id", String.class);
			ObjectNode counts = (ObjectNode) report.get("counts").deepCopy();
			long fromSnapshot = counts.remove("fromSnapshot").asLong();
			long lookups = watcher.itemRequests().size();
			return new Outcomes(pointers, written, verdicts, counts, fromSnapshot, lookups);
		}
	}

	private static String item(int n) {
		return Ulids.infoItem(n);
	}

	private static String pointer(int n) {
		return Ulids.watchedItem(n);
	}

	/** A WatchedItem created for InfoItem n. */
	private static String created(int n) {
		return Ulids.of("01HZZNEW", n);
	}

	private record Outcomes(Map<String, @Nullable String> pointers, List<String> written, List<String> verdicts,
			ObjectNode counts, long fromSnapshot, long lookups) {
	}

}
