package io.cannobserv.reconciler.prune;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.prune.JobSchemaRows.Owned;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prune killed (SIGKILL, no last words) in the middle of a run's deletion, in a real
 * child JVM: held at a chosen statement by a row lock this test takes, so the kill lands
 * exactly there. Every run is then whole or recorded as pruned, never half-deleted, and
 * the next prune finishes the job.
 */
class PruneFunctionalTests {

	private static final Pattern RUN_ID = Pattern.compile("(?m)^Run (\\d+) \\(");

	private static FakeWatcher watcher;

	private static TestDatabase historyDatabase;

	/** Three old dry runs, then a recent one. */
	private static List<Long> runs;

	@TempDir
	static Path reportDir;

	private TestDatabase database;

	@BeforeAll
	static void makeHistory() {
		watcher = new FakeWatcher().start();
		historyDatabase = TestPostgres.newDatabase();
		RegistryFixture.create(ArchiverDatabase.createSchema(historyDatabase.jdbc(), ArchiverVersion.V4_10), watcher,
				Mix.none().live(3).gone(6));
		runs = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Result run = ReconcilerRun.reconcile(historyDatabase, watcher, reportDir, "--read-timeout=10s");
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
			Matcher id = RUN_ID.matcher(run.out());
			assertThat(id.find()).isTrue();
			runs.add(Long.parseLong(id.group(1)));
		}
		JobSchemaRows.age(historyDatabase.jdbc(), runs.subList(0, 3), Duration.ofDays(100));
	}

	@AfterAll
	static void stopWatcher() {
		watcher.stop();
	}

	@Test
	void pruneWhenKilledWhileDeletingARunsFindingsLeavesItPrunedAndTheNextPruneFinishesIt() throws Exception {
		// given
		this.database = TestPostgres.copyOf(historyDatabase);
		JdbcTemplate jdbc = this.database.jdbc();
		Map<String, List<Owned>> before = JobSchemaRows.read(jdbc);
		long first = runs.get(0);
		long second = runs.get(1);
		long third = runs.get(2);

		// when killed while deleting the second run's findings
		killPruneBlockedBy(
				"SELECT 1 FROM " + JobSchemaRows.SCHEMA + ".pointer_finding WHERE run_id = " + second + " FOR UPDATE");

		// then the first run is gone, the second is pruned with its findings left, the
		// third is whole
		Map<String, List<Owned>> after = JobSchemaRows.read(jdbc);
		assertThat(JobSchemaRows.countOf(after, List.of(first)))
			.allSatisfy((table, count) -> assertThat(count).as(table).isZero());
		assertThat(JobSchemaRows.countOf(after, List.of(second))).allSatisfy((table, count) -> assertThat(count)
			.as(table)
			.isEqualTo(
					table.equals("pointer_finding") ? JobSchemaRows.countOf(before, List.of(second)).get(table) : 0L));
		assertThat(JobSchemaRows.countOf(after, List.of(third)))
			.isEqualTo(JobSchemaRows.countOf(before, List.of(third)));
		assertThat(jdbc.queryForList(
				"SELECT run_id || ':' || complete FROM " + JobSchemaRows.SCHEMA + ".pruned_run ORDER BY run_id",
				String.class))
			.containsExactly(first + ":true", second + ":false");
		// no command shows, restores or resumes the half-deleted second run
		Result report = command("report", "--run", String.valueOf(second));
		assertThat(report.exitCode()).isEqualTo(2);
		assertThat(report.err()).contains("Run " + second + " (dry-run, partition 0 of 1) was pruned on");
		Result dryRun = command("prune");
		assertThat(dryRun.out())
			.contains("would finish 1 run(s) that an interrupted prune had begun to delete (" + second + "): "
					+ JobSchemaRows.countOf(before, List.of(second)).get("pointer_finding") + " row(s)")
			.contains("would delete 1 run(s): " + third);

		// when pruned again
		Result again = command("prune", "--apply");

		// then every old run is gone, and nothing else
		assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
		assertThat(JobSchemaRows.without(JobSchemaRows.read(jdbc), List.of()))
			.isEqualTo(JobSchemaRows.without(before, runs.subList(0, 3)));
		assertThat(jdbc.queryForObject("SELECT count(*) FROM " + JobSchemaRows.SCHEMA + ".pruned_run WHERE complete",
				Long.class))
			.isEqualTo(3);
	}

	@Test
	void pruneWhenKilledWhileDeletingARunsBatchRowsLeavesThatRunWhole() throws Exception {
		// given
		this.database = TestPostgres.copyOf(historyDatabase);
		JdbcTemplate jdbc = this.database.jdbc();
		Map<String, List<Owned>> before = JobSchemaRows.read(jdbc);
		long first = runs.get(0);
		long second = runs.get(1);

		// when killed inside the transaction that deletes the second run's Spring Batch
		// rows, held at its job instance, the last of them
		killPruneBlockedBy("SELECT 1 FROM " + JobSchemaRows.SCHEMA + ".batch_job_instance WHERE job_instance_id = "
				+ second + " FOR UPDATE");

		// then the first run is gone and every other run is whole, the second included
		Map<String, List<Owned>> after = JobSchemaRows.read(jdbc);
		assertThat(JobSchemaRows.countOf(after, List.of(first)))
			.allSatisfy((table, count) -> assertThat(count).as(table).isZero());
		assertThat(JobSchemaRows.without(after, List.of(first)))
			.isEqualTo(JobSchemaRows.without(before, List.of(first)));
		assertThat(jdbc.queryForList("SELECT run_id FROM " + JobSchemaRows.SCHEMA + ".pruned_run", Long.class))
			.containsExactly(first);
		Result report = command("report", "--run", String.valueOf(second));
		assertThat(report.exitCode()).as(report.out() + report.err()).isZero();

		// when pruned again, then every old run is gone, and nothing else
		Result again = command("prune", "--apply");
		assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
		assertThat(JobSchemaRows.without(JobSchemaRows.read(jdbc), List.of()))
			.isEqualTo(JobSchemaRows.without(before, runs.subList(0, 3)));
	}

	/**
	 * Starts {@code prune --apply} in a child JVM while this test holds the row lock that
	 * {@code lockingQuery} takes, waits until the prune waits for it, kills the prune,
	 * and lets go of the lock. The killed process's waiting statement is ended too, as
	 * the server ends it once it notices the client is gone (at once with
	 * {@code client_connection_check_interval}); otherwise it would go on when the lock
	 * is released and, outside a transaction, complete.
	 */
	private void killPruneBlockedBy(String lockingQuery) throws Exception {
		try (Connection holder = this.database.dataSource().getConnection();
				Statement statement = holder.createStatement()) {
			holder.setAutoCommit(false);
			statement.execute(lockingQuery);
			List<String> args = new ArrayList<>(List.of("prune", "--apply"));
			args.addAll(List.of(this.database.springArgs()));
			ChildJvm prune = ChildJvm.start("prune-killed", args);
			try {
				int backend = awaitWaitingDelete(prune);
				prune.kill9();
				this.database.jdbc().queryForObject("SELECT pg_terminate_backend(?, 30000)", Boolean.class, backend);
			}
			finally {
				prune.kill9();
				holder.rollback();
			}
			assertThat(prune.isAlive()).isFalse();
		}
	}

	/**
	 * Until a DELETE of this database waits for a lock.
	 * @return the process id of its session
	 */
	private int awaitWaitingDelete(ChildJvm prune) throws InterruptedException {
		JdbcTemplate jdbc = this.database.jdbc();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			List<Integer> waiting = jdbc.queryForList(
					"SELECT pid FROM pg_stat_activity WHERE datname ="
							+ " current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM%'",
					Integer.class);
			if (!waiting.isEmpty()) {
				return waiting.get(0);
			}
			if (!prune.isAlive()) {
				throw new AssertionError("prune exited before it waited for the lock:\n" + prune.tail(40));
			}
			Thread.sleep(100);
		}
		throw new AssertionError("prune never waited for the lock:\n" + prune.tail(40));
	}

	private Result command(String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		args.addAll(List.of(this.database.springArgs()));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

}
