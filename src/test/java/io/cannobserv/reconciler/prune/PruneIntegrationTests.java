package io.cannobserv.reconciler.prune;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.prune.JobSchemaRows.Owned;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prune} through the command line, on a history made by real runs: dry runs,
 * applying runs, a restore, runs whose clears restore could still put back, an unfinished
 * run the brake halted. Every table of the job's schema is compared row by row before and
 * after, with each row's run read from the tables themselves. The history is made once;
 * each test works on a copy of its database.
 */
class PruneIntegrationTests {

	private static final String TABLE = "information.info_items(info_item_id,watcher_item_id)";

	private static final Pattern RUN_ID = Pattern.compile("(?m)^Run (\\d+) \\(");

	private static final Duration LONG_AGO = Duration.ofDays(100);

	private static FakeWatcher watcher;

	private static TestDatabase historyDatabase;

	private static RegistryFixture registry;

	private static History history;

	@TempDir
	static Path reportDir;

	/** This test's database. */
	private TestDatabase database;

	private ArchiverDatabase archiver;

	@BeforeAll
	static void makeHistory() {
		watcher = new FakeWatcher().start();
		historyDatabase = TestPostgres.newDatabase();
		registry = RegistryFixture.create(ArchiverDatabase.createSchema(historyDatabase.jdbc(), ArchiverVersion.V4_10),
				watcher, Mix.none().live(4).gone(4).notFoundUnconfirmed(1));
		history = new PruneIntegrationTests().history();
	}

	@AfterAll
	static void stopWatcher() {
		watcher.stop();
	}

	/** Works on a copy of the history's database from here on. */
	private History onHistory() {
		this.database = TestPostgres.copyOf(historyDatabase);
		this.archiver = ArchiverDatabase.attach(this.database.jdbc(), ArchiverVersion.V4_10);
		return history;
	}

	/** Works on a database of its own with Archiver's schema and no job schema. */
	private void onEmptyDatabase() {
		this.database = TestPostgres.newDatabase();
		this.archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
	}

	@Test
	void pruneWhenDryRunDeletesNothingAndSaysWhatItWouldDeleteAndKeepAndWhy() {
		// given
		History history = onHistory();
		Map<String, List<Owned>> before = JobSchemaRows.read(jdbc());

		// when
		Result dryRun = prune();

		// then nothing changed, and the plan names every old run
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
		assertThat(JobSchemaRows.read(jdbc())).isEqualTo(before);
		assertThat(dryRun.out())
			.contains("Prune of watcher_link_reconciler (dry-run), table " + TABLE + ": runs that ended before ")
			.contains("(--older-than 90d)")
			.contains("would delete 2 run(s): " + PruneCommand.ids(List.of(history.d1(), history.a1())))
			.contains("keeps 3 old run(s):")
			.containsPattern("run " + history.a2() + " \\(apply, partition 0 of 1, ended [^)]+\\): 1 clear\\(s\\) or"
					+ " re-link\\(s\\) that restore could still put back \\(restore --run " + history.a2()
					+ "\\); --include-restorable prunes it all the same\n")
			.containsPattern("run " + history.a2b() + " \\(apply, [^)]+\\): the last success of its kind: "
					+ "reconciler_run_last_success_timestamp_seconds is read from it; 1 clear")
			.containsPattern("run " + history.a3() + " \\(apply, [^)]+\\): unfinished \\(FAILED\\): the next `reconcile"
					+ " --apply` resumes it; in the latest night of its kind \\(brake sweep \\d+\\), which the safety"
					+ " brake still judges; 1 clear")
			.contains("keeps 1 run(s) that ended since then, or are under way")
			.contains("dry run: nothing deleted; run with --apply to delete");
		// the rows it would delete, table by table, as the tables themselves count them
		Map<String, Long> expected = JobSchemaRows.countOf(before, List.of(history.d1(), history.a1()));
		expected.forEach((table, count) -> assertThat(dryRun.out()).as(table)
			.containsPattern("(?m)^      " + table + " +" + count + "$"));
		assertThat(dryRun.out()).containsPattern("(?m)^      brake_sweep +2$");
	}

	@Test
	void pruneWhenAppliedDeletesExactlyTheOldRunsRowsInEveryTable() {
		// given
		History history = onHistory();
		JdbcTemplate jdbc = jdbc();
		Map<String, List<Owned>> before = JobSchemaRows.read(jdbc);
		Map<Long, List<Long>> sweepsBefore = JobSchemaRows.sweepRuns(jdbc);
		List<Long> pruned = List.of(history.d1(), history.a1());
		String dryRun = prune().out();

		// when
		Result applied = prune("--apply");

		// then exactly the two runs' rows are gone, in every table, and nothing else
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		Map<String, List<Owned>> after = JobSchemaRows.read(jdbc);
		assertThat(JobSchemaRows.without(after, List.of())).isEqualTo(JobSchemaRows.without(before, pruned));
		// the history's only halted run is the latest of its kind, kept: its halt's rows
		// are deleted by the same conditions, and counted by the dry run like the others
		assertThat(JobSchemaRows.countOf(before, pruned))
			.allSatisfy((table, count) -> assertThat(count).as("rows of the pruned runs in %s before", table)
				.matches((rows) -> rows > 0 || table.startsWith("brake_halt")));
		// their sweeps went with them; every other sweep, the newest of each kind
		// included, is untouched
		Map<Long, List<Long>> sweepsAfter = JobSchemaRows.sweepRuns(jdbc);
		Map<Long, List<Long>> expectedSweeps = new TreeMap<>(sweepsBefore);
		expectedSweeps.values().removeIf(pruned::containsAll);
		assertThat(sweepsAfter).isEqualTo(expectedSweeps);
		assertThat(sweepsBefore.size() - sweepsAfter.size()).isEqualTo(2);
		// no row anywhere names a pruned run but its record
		for (String table : JobSchemaRows.tables(jdbc)) {
			if (!table.equals("pruned_run") && hasRunId(jdbc, table)) {
				assertThat(jdbc.queryForObject("SELECT count(*) FROM " + JobSchemaRows.SCHEMA + "." + table
						+ " WHERE run_id IN (" + history.d1() + ", " + history.a1() + ")", Long.class))
					.as(table)
					.isZero();
			}
		}
		assertThat(jdbc.queryForList(
				"SELECT run_id FROM " + JobSchemaRows.SCHEMA + ".pruned_run WHERE complete ORDER BY run_id",
				Long.class))
			.containsExactlyElementsOf(pruned);
		// and it says what it deleted, counted as the dry run counted it
		assertThat(applied.out()).contains("deleted 2 run(s): " + PruneCommand.ids(pruned));
		assertThat(rowsByTable(applied.out())).isEqualTo(rowsByTable(dryRun)).isNotEmpty();

		// when run again, then there is nothing left to delete
		Result again = prune("--apply");
		assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
		assertThat(again.out()).contains("no run to delete").contains("keeps 3 old run(s)");
		assertThat(JobSchemaRows.read(jdbc)).isEqualTo(after);
	}

	@Test
	void pruneWhenAppliedKeepsWhatResumeRestoreAndReportNeedAndNamesPrunedRuns() {
		// given
		History history = onHistory();
		String reportOfA2 = report(history.a2()).out();
		String reportOfA3 = report(history.a3()).out();
		String wouldRestoreA2 = restore(history.a2()).out();

		// when
		Result applied = prune("--apply");
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();

		// then the kept runs' reports are as they were
		assertThat(report(history.a2()).out()).isEqualTo(reportOfA2);
		assertThat(report(history.a3()).out()).isEqualTo(reportOfA3);
		// a pruned run is named as pruned, by report and by restore
		Result reportOfA1 = report(history.a1());
		assertThat(reportOfA1.exitCode()).isEqualTo(2);
		assertThat(reportOfA1.err().strip()).doesNotContain("\n")
			.containsPattern("Run " + history.a1() + " \\(apply, partition 0 of 1\\) was pruned on [0-9T:Z-]+: it"
					+ " ended [0-9T:Z-]+, before prune's cutoff [0-9T:Z-]+, so its report is gone: `report` lists"
					+ " the runs kept$");
		Result restoreA1 = restore(history.a1(), "--apply");
		assertThat(restoreA1.exitCode()).isEqualTo(2);
		assertThat(restoreA1.err().strip()).endsWith("and its audit with it, so nothing of it can be restored")
			.contains("Run " + history.a1() + " (apply, partition 0 of 1) was pruned on");
		// restore of a kept run still puts back what it would have before
		assertThat(wouldRestoreA2).contains("would restore 1, left alone 0");
		Result restoredA2 = restore(history.a2(), "--apply");
		assertThat(restoredA2.exitCode()).as(restoredA2.out() + restoredA2.err()).isZero();
		assertThat(restoredA2.out()).contains("restored 1, left alone 0");
		assertThat(this.archiver.pointerOf(history.x4())).isEqualTo(registry.entry(history.x4()).watcherItemId());
		// and the unfinished run resumes, where it stopped
		Result resumed = reconcile("--apply");
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		assertThat(resumed.out()).contains("Run " + history.a3() + " (apply): COMPLETED");
		assertThat(this.archiver.pointerOf(history.x3())).isNull();
	}

	@Test
	void pruneWhenRestorableRunsAreIncludedDeletesThemSayingTheyCanNoLongerBeUndone() {
		// given
		History history = onHistory();

		// when
		Result dryRun = prune("--include-restorable");
		Result applied = prune("--apply", "--include-restorable");

		// then A2, kept only for its restorable clear, goes; A2b and A3 stay for their
		// other reasons
		assertThat(dryRun.out())
			.contains("would delete 3 run(s): " + PruneCommand.ids(List.of(history.d1(), history.a1(), history.a2())))
			.containsPattern("run " + history.a2() + " \\([^)]+\\): 1 clear\\(s\\) or re-link\\(s\\) that restore"
					+ " could still put back, would be pruned all the same \\(--include-restorable\\): they can no"
					+ " longer be undone");
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		assertThat(applied.out()).contains("deleted 3 run(s)")
			.contains("keeps 2 old run(s)")
			.doesNotContain("--include-restorable prunes it all the same");
		Result restoreA2 = restore(history.a2());
		assertThat(restoreA2.exitCode()).isEqualTo(2);
		assertThat(restoreA2.err()).contains("(it was pruned with --include-restorable while restore could still have"
				+ " put back 1 of its clears or re-links)");
	}

	@Test
	void pruneWhenOlderThanIsADateDeletesTheRunsThatEndedBeforeIt() {
		// given runs that ended 100 days ago, and a cutoff 200 days ago
		History history = onHistory();
		String longBefore = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(200).toString();

		// when
		Result early = prune("--apply", "--older-than=" + longBefore);
		Result recent = prune("--older-than", "30d");

		// then
		assertThat(early.exitCode()).as(early.out() + early.err()).isZero();
		assertThat(early.out())
			.contains("runs that ended before " + longBefore + "T00:00:00Z (--older-than " + longBefore + ")")
			.contains("no run to delete")
			.contains("keeps 6 run(s) that ended since then");
		assertThat(recent.out())
			.contains("would delete 2 run(s): " + PruneCommand.ids(List.of(history.d1(), history.a1())));
	}

	@Test
	void pruneWhenOlderThanIsNotADurationOrADateRefusesBeforeTouchingTheDatabase() {
		// given
		onEmptyDatabase();

		// when
		Result bare = prune("--older-than=90");
		Result future = prune("--older-than=2999-01-01");
		Result junk = prune("--older-than=ninety days");

		// then
		assertThat(bare.exitCode()).isEqualTo(2);
		assertThat(bare.err().strip()).endsWith("--older-than 90 has no unit: give a duration (90d, 12h, P90D) or a"
				+ " date (2026-01-31, 2026-01-31T12:00:00Z)");
		assertThat(future.exitCode()).isEqualTo(2);
		assertThat(future.err()).contains("--older-than 2999-01-01 is in the future");
		assertThat(junk.exitCode()).isEqualTo(2);
		assertThat(junk.err()).contains("--older-than needs a duration (90d, 12h, P90D) or a date");
		assertThat(JobSchemaRows.tables(jdbc())).isEmpty();
	}

	@Test
	void pruneWhenAnotherProcessHoldsALockItNeedsExitsFourHavingDeletedNothing() throws Exception {
		// given
		History history = onHistory();
		Map<String, List<Owned>> before = JobSchemaRows.read(jdbc());
		String registry = RunLocks.reconcileName(JobSchemaRows.SCHEMA, TABLE, 0, 1);

		// when a single run, the partitions of a partitioned run, or a restore holds its
		// lock
		Result single = pruneWhileHeld("pg_advisory_lock", registry);
		Result partitions = pruneWhileHeld("pg_advisory_lock_shared", registry);
		Result restoring = pruneWhileHeld("pg_advisory_lock", JobSchemaRows.SCHEMA + ":restore:" + TABLE);

		// then
		assertThat(single.exitCode()).isEqualTo(4);
		assertThat(single.err().strip()).endsWith("Another run holds the lock '" + registry
				+ "' in this database: a reconcile run of this table; this prune deleted nothing. Let that run"
				+ " finish, and schedule prune away from the nightly run");
		assertThat(partitions.exitCode()).isEqualTo(4);
		assertThat(partitions.err()).contains("the partitions of a partitioned reconcile run, which share it");
		assertThat(restoring.exitCode()).isEqualTo(4);
		assertThat(restoring.err()).contains("A restore holds the lock");
		assertThat(JobSchemaRows.read(jdbc())).isEqualTo(before);
		assertThat(history.a1()).isPositive();
	}

	@Test
	void reconcileAndRestoreWhenAPruneHoldsTheLocksExitFourNamingThePrune() throws Exception {
		// given a prune under way: its own lock, the registry's and the restore's
		onEmptyDatabase();
		watcher.server().resetRequests();
		String prune = JobSchemaRows.SCHEMA + ":prune:" + TABLE;
		String registry = RunLocks.reconcileName(JobSchemaRows.SCHEMA, TABLE, 0, 1);
		String restore = JobSchemaRows.SCHEMA + ":restore:" + TABLE;
		try (Connection held = this.database.dataSource().getConnection();
				Statement statement = held.createStatement()) {
			for (String lock : List.of(prune, registry, restore)) {
				statement.execute("SELECT pg_advisory_lock(hashtextextended('" + lock + "', 0))");
			}

			// when
			Result single = reconcile("--apply");
			Result partition = reconcile("--apply", "--partitions=2", "--partition=1");
			Result restoring = restore(1, "--apply");

			// then
			for (Result refused : List.of(single, partition, restoring)) {
				assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(4);
				assertThat(refused.err())
					.contains("A prune of this table's old runs holds the lock '" + prune + "' in this database; ")
					.contains("Run again once it is done");
			}
			assertThat(watcher.server().getAllServeEvents()).isEmpty();
		}
	}

	@Test
	void pruneWhenTheJobSchemaHoldsATableItDoesNotKnowFailsThisTest() {
		// given the job's schema as this release's migrations make it
		onEmptyDatabase();
		Result dryRun = prune();
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();

		// then every table is one prune deletes a run's rows from, or one that belongs
		// to no run: a migration that adds a table must say which
		Set<String> known = new HashSet<>(RunRows.deletedFrom());
		known.addAll(JobSchemaRows.NOT_OF_A_RUN);
		assertThat(JobSchemaRows.tables(jdbc())).containsExactlyInAnyOrderElementsOf(known);
	}

	/**
	 * Runs that cover every reason to keep and to delete, all but one of them aged 100
	 * days; the gone pointers X1 to X4 are cleared, put back and cleared again on the
	 * way:
	 * <ul>
	 * <li>D1, a dry run: old, superseded by D2: pruned;</li>
	 * <li>A1, applying: cleared X1-X4, which a restore put back: pruned;</li>
	 * <li>A2, applying: cleared X1-X4; X1-X3 set again since, so only X4 is restorable:
	 * kept for it;</li>
	 * <li>A2b, applying: cleared X1-X3 again; X1 and X3 set again since: the last success
	 * of its kind, X2 restorable;</li>
	 * <li>D2, a dry run: recent (newer than the cutoff);</li>
	 * <li>A3, applying with {@code --max-clears=1}: cleared X1, then the brake halted it
	 * before X3: unfinished, the newest night of its kind, X1 restorable.</li>
	 * </ul>
	 */
	private History history() {
		this.database = historyDatabase;
		this.archiver = ArchiverDatabase.attach(historyDatabase.jdbc(), ArchiverVersion.V4_10);
		List<String> gone = registry.ids(PointerClass.GONE);
		String x1 = gone.get(0);
		String x2 = gone.get(1);
		String x3 = gone.get(2);
		String x4 = gone.get(3);
		long d1 = runOf(reconcile(), 0);
		long a1 = runOf(reconcile("--apply"), 0);
		Result restored = restore(a1, "--apply");
		assertThat(restored.out()).as(restored.out() + restored.err()).contains("restored 4");
		long a2 = runOf(reconcile("--apply"), 0);
		setAgain(x1, x2, x3);
		long a2b = runOf(reconcile("--apply"), 0);
		setAgain(x1, x3);
		long a3 = runOf(reconcile("--apply", "--max-clears=1", "--chunk-size=1"), 3);
		assertThat(this.archiver.pointerOf(x1)).isNull();
		assertThat(this.archiver.pointerOf(x3)).isNotNull();
		JobSchemaRows.age(jdbc(), List.of(d1, a1, a2, a2b, a3), LONG_AGO);
		long d2 = runOf(reconcile(), 0);
		// a snapshot left behind by a killed execution of A1 (after D2: a run's snapshot
		// step deletes such leftovers)
		jdbc().update(
				"INSERT INTO " + JobSchemaRows.SCHEMA + ".watcher_snapshot (run_id, watched_item_id,"
						+ " archiver_info_item_id, archived) VALUES (?, '01HZZSNAPSHOT0000000000001', NULL, false)",
				a1);
		return new History(d1, a1, a2, a2b, d2, a3, x1, x2, x3, x4);
	}

	/** Archiver sets these pointers again, to the WatchedItems gone in Watcher. */
	private void setAgain(String... infoItemIds) {
		for (String id : infoItemIds) {
			this.archiver.setPointer(id, registry.entry(id).watcherItemId());
		}
	}

	private long runOf(Result result, int exitCode) {
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(exitCode);
		Matcher run = RUN_ID.matcher(result.out());
		assertThat(run.find()).as(result.out()).isTrue();
		return Long.parseLong(run.group(1));
	}

	/** The {@code table count} lines of a summary, in order. */
	private static List<String> rowsByTable(String summary) {
		return summary.lines().filter((line) -> line.matches(" {6}[a-z_]+ +[0-9]+")).toList();
	}

	private static boolean hasRunId(JdbcTemplate jdbc, String table) {
		return Boolean.TRUE.equals(jdbc.queryForObject(
				"SELECT EXISTS (SELECT 1 FROM information_schema.columns"
						+ " WHERE table_schema = ? AND table_name = ? AND column_name = 'run_id')",
				Boolean.class, JobSchemaRows.SCHEMA, table));
	}

	private Result pruneWhileHeld(String function, String lock) throws Exception {
		try (Connection held = this.database.dataSource().getConnection();
				Statement statement = held.createStatement()) {
			statement.execute("SELECT " + function + "(hashtextextended('" + lock + "', 0))");
			return prune("--apply");
		}
	}

	private JdbcTemplate jdbc() {
		return this.database.jdbc();
	}

	private Result prune(String... options) {
		List<String> args = new ArrayList<>(List.of("prune"));
		args.addAll(List.of(this.database.springArgs()));
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private Result report(long runId) {
		List<String> args = new ArrayList<>(List.of("report", "--run", String.valueOf(runId)));
		args.addAll(List.of(this.database.springArgs()));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private Result restore(long runId, String... options) {
		List<String> args = new ArrayList<>(List.of("restore", "--run", String.valueOf(runId)));
		args.addAll(List.of(this.database.springArgs()));
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private Result reconcile(String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--read-timeout=10s");
		return ReconcilerRun.reconcile(this.database, watcher, reportDir, args.toArray(String[]::new));
	}

	/**
	 * The runs of {@link #history()} and the gone pointers.
	 */
	private record History(long d1, long a1, long a2, long a2b, long d2, long a3, String x1, String x2, String x3,
			String x4) {
	}

}
