package io.cannobserv.reconciler.archiver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.cannobserv.reconciler.archiver.PointerTable.Clear;
import io.cannobserv.reconciler.archiver.PointerTable.Restore;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore's compare-and-set on its own, on real PostgreSQL: whatever restore decided
 * from an earlier read, a row that anything happened to since its clear is not written.
 * This is what holds when a row changes between restore's decision and its write.
 */
class PointerTableRestoreIntegrationTests {

	private static final String X = Ulids.infoItem(1);

	private static final String A = Ulids.watchedItem(1);

	private static final String B = Ulids.watchedItem(2);

	private TestDatabase database;

	private ArchiverDatabase archiver;

	private PointerTable pointerTable;

	@BeforeEach
	void setUp() {
		this.database = TestPostgres.newDatabase();
		this.archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.pointerTable = pointerTable(
				new ArchiverTable("information", "info_items", "info_item_id", "watcher_item_id", "watch_status"));
		this.archiver.insertItem(X, A);
	}

	@Test
	void restoreWhenNothingHappenedSinceTheClearPutsThePointerBack() {
		// given
		long clearA = clear(1, A);

		// when
		int[] restored = this.pointerTable.restore(List.of(new Restore(clearA, 1, X, A, null)), "RESTORED");

		// then
		assertThat(restored).containsExactly(1);
		assertThat(this.archiver.pointerOf(X)).isEqualTo(A);
	}

	@Test
	void restoreWhenALaterRunClearedTheRowMatchesNothing() {
		// given run 1 cleared a, the row was re-linked to b, run 2 cleared b
		long clearA = clear(1, A);
		this.archiver.setPointer(X, B);
		clear(2, B);
		Map<String, @Nullable Object> before = this.archiver.snapshot().get(X);

		// when restore of run 1 writes as if it had decided before run 2
		int[] restored = this.pointerTable.restore(List.of(new Restore(clearA, 1, X, A, null)), "RESTORED");

		// then
		assertThat(restored).containsExactly(0);
		assertThat(this.archiver.snapshot().get(X)).isEqualTo(before);
	}

	@Test
	void restoreWhenTheRowChangedSinceTheClearMatchesNothing() {
		// given the pointer empty again, but the row re-linked and unlinked in Archiver
		long clearA = clear(1, A);
		this.archiver.setPointer(X, B);
		this.archiver.setPointer(X, null);
		Map<String, @Nullable Object> before = this.archiver.snapshot().get(X);

		// when
		int[] restored = this.pointerTable.restore(List.of(new Restore(clearA, 1, X, A, null)), "RESTORED");

		// then
		assertThat(restored).containsExactly(0);
		assertThat(this.archiver.snapshot().get(X)).isEqualTo(before);
	}

	@Test
	void restoreWhenTheClearWasMadeOnAnotherTableMatchesNothing() {
		// given a clear recorded on Archiver's table, and a copy of it with the same row
		long clearA = clear(1, A);
		this.database.jdbc().execute("CREATE TABLE information.info_items_copy AS TABLE information.info_items");
		PointerTable copy = pointerTable(
				new ArchiverTable("information", "info_items_copy", "info_item_id", "watcher_item_id", "watch_status"));

		// when
		int[] restored = copy.restore(List.of(new Restore(clearA, 1, X, A, null)), "RESTORED");

		// then
		assertThat(restored).containsExactly(0);
		assertThat(this.database.jdbc()
			.queryForObject("SELECT watcher_item_id FROM information.info_items_copy WHERE info_item_id = ?",
					String.class, X))
			.isNull();
	}

	/** Clears X's pointer {@code pointer} as run {@code runId}; returns its audit row. */
	private long clear(long runId, String pointer) {
		assertThat(this.pointerTable.clear(List.of(new Clear(runId, runId, X, pointer, 404, "gone")), true))
			.containsExactly(1);
		Long clearId = this.database.jdbc()
			.queryForObject("SELECT clear_id FROM watcher_link_reconciler.pointer_clear WHERE run_id = ?", Long.class,
					runId);
		assertThat(clearId).isNotNull();
		return clearId;
	}

	private PointerTable pointerTable(ArchiverTable table) {
		ReconcilerProperties properties = new ReconcilerProperties(250, 8, 0, 1, Path.of("reports"),
				Duration.ofSeconds(10), "watcher_link_reconciler", Strategy.PER_ITEM, false, false);
		JobSchema jobSchema = new JobSchema(this.database.dataSource(), properties, table);
		jobSchema.migrate();
		return new PointerTable(new NamedParameterJdbcTemplate(this.database.dataSource()), table, jobSchema);
	}

}
