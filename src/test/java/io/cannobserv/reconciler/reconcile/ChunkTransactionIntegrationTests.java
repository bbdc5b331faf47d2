package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.global.GlobalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.CommitCuttingProxy;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a chunk's transaction holds and when it holds it: no lock on Archiver's table
 * while Watcher is asked, and a chunk whose commit fails counts for nothing, however far
 * it got before the commit.
 */
class ChunkTransactionIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** No request-rate cap: the tests set Watcher's pace themselves. */
	private static final String UNPACED = "--max-requests-per-second=0";

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhileWatcherIsAskedHoldsNoLockOnArchiversTable() throws Exception {
		// given a slow Watcher: a chunk of 10 lookups, 2 at a time, lasts about 5 s
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(20).gone(10));
		this.bed.watcher().server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(1000).build());
		CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> ReconcilerRun.reconcile(this.bed.database(),
				this.bed.watcher(), this.reportDir, "--apply", "--chunk-size=10", "--concurrency=2", UNPACED));
		awaitLookupOf(registry.entries().get(0).watcherItemId(), run);

		// when a migration of Archiver's asks for the table while the chunk's lookups run
		try (Connection migration = this.bed.database().dataSource().getConnection()) {
			migration.setAutoCommit(false);
			try (Statement statement = migration.createStatement()) {
				statement.execute("SET LOCAL lock_timeout = '1s'");

				// then it is granted at once (or this fails with "canceling statement due
				// to lock timeout"), and no session of the job has a transaction open
				statement.execute("LOCK TABLE information.info_items IN ACCESS EXCLUSIVE MODE");
				try (ResultSet idle = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE "
						+ "datname = current_database() AND state LIKE 'idle in transaction%'")) {
					idle.next();
					assertThat(idle.getInt(1)).as("sessions idle in a transaction while Watcher is asked").isZero();
				}
			}
			migration.rollback();
		}
		Result result = run.get(60, TimeUnit.SECONDS);
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).as(id).isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(CommitFailure.class)
	void reconcileWhenAChunksCommitFailsResumesFromTheLastChunkThatCommitted(CommitFailure failure) {
		// given a registry of 6 chunks, and a deferred constraint on Archiver's
		// table that fails the commit of the third, once
		RegistryFixture registry = sixChunks();
		String victim = firstGoneOfThirdChunk(registry);
		failCommitOnce(victim, failure);

		// when
		Result failed = reconcile();

		// then the run fails with nothing of the third chunk written
		assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
		assertThat(this.bed.archiver().pointerOf(victim)).isEqualTo(registry.entry(victim).watcherItemId());
		JsonNode failedReport = ReportFiles.only(this.reportDir);
		assertThat(failedReport.get("counts").get("read").asLong()).isEqualTo(20);
		assertThat(failedReport.get("counts").get("cleared").asLong()).isEqualTo(clearedIdsWithDuplicates().size());

		// when run again
		Result resumed = reconcile();

		// then it resumes at the third chunk: each gone pointer cleared and audited once,
		// and the report counts exactly what was committed
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("runId").asLong()).isEqualTo(failedReport.get("runId").asLong());
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(registry.entries().size());
		assertThat(counts.get("gone").asLong()).isEqualTo(registry.mix().gone());
		assertThat(counts.get("live").asLong()).isEqualTo(registry.mix().live());
		assertThat(counts.get("cleared").asLong()).isEqualTo(registry.mix().gone());
		assertThat(clearedIdsWithDuplicates()).containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).as(id).isNull();
		}
		// the third chunk was asked about again, and no other
		for (int i = 0; i < registry.entries().size(); i++) {
			Entry entry = registry.entries().get(i);
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId())
				.hasSize((i >= 20 && i < 30) ? 2 : 1);
		}
	}

	@Test
	void reconcileWhenTheConnectionIsLostRightAfterAChunkCommittedResumesAfterThatChunk() throws Exception {
		// given a registry of 6 chunks, reached through a proxy that loses the connection
		// of the third chunk's COMMIT once the database has it: the chunk commits, and
		// the job cannot know
		RegistryFixture registry = sixChunks();
		String victim = firstGoneOfThirdChunk(registry);
		this.bed.watcher().server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(200).build());
		try (CommitCuttingProxy proxy = CommitCuttingProxy.before(this.bed.database())) {
			TestDatabase database = proxy.database(this.bed.database());
			CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> reconcile(database));
			awaitLookupOf(registry.entries().get(20).watcherItemId(), run);
			proxy.cutAfterNextCommit();

			// when
			Result failed = run.get(90, TimeUnit.SECONDS);

			// then the run fails, and its report counts the third chunk, which committed
			assertThat(proxy.hasCut()).isTrue();
			assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
			assertThat(this.bed.archiver().pointerOf(victim)).isNull();
			JsonNode failedReport = ReportFiles.only(this.reportDir);
			assertThat(failedReport.get("counts").get("read").asLong()).isEqualTo(30);
			assertThat(failedReport.get("counts").get("cleared").asLong()).isEqualTo(clearedIdsWithDuplicates().size());

			// when run again
			Result resumed = reconcile(database);

			// then it resumes after the third chunk, and counts each pointer once
			assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
			JsonNode report = ReportFiles.only(this.reportDir);
			assertThat(report.get("runId").asLong()).isEqualTo(failedReport.get("runId").asLong());
			JsonNode counts = report.get("counts");
			assertThat(counts.get("read").asLong()).isEqualTo(registry.entries().size());
			assertThat(counts.get("cleared").asLong()).isEqualTo(registry.mix().gone());
			assertThat(counts.get("changedConcurrently").asLong()).isZero();
			assertThat(clearedIdsWithDuplicates()).containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
			for (Entry entry : registry.entries()) {
				assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId()).hasSize(1);
			}
		}
	}

	/** 60 pointers: 6 chunks of 10, each with gone pointers. */
	private RegistryFixture sixChunks() {
		return RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(30).gone(20).archived(5).notFoundUnconfirmed(5));
	}

	private static String firstGoneOfThirdChunk(RegistryFixture registry) {
		return registry.entries()
			.subList(20, 30)
			.stream()
			.filter((entry) -> entry.pointerClass() == PointerClass.GONE)
			.findFirst()
			.orElseThrow()
			.infoItemId();
	}

	private Result reconcile() {
		return reconcile(this.bed.database());
	}

	private Result reconcile(TestDatabase database) {
		return ReconcilerRun.reconcile(database, this.bed.watcher(), this.reportDir, "--apply", "--chunk-size=10",
				"--concurrency=4", UNPACED);
	}

	/**
	 * A deferred constraint trigger: it runs at COMMIT, after every write of the chunk,
	 * and fails it the first time {@code infoItemId}'s pointer is cleared. A sequence
	 * counts, since a sequence does not roll back.
	 */
	private void failCommitOnce(String infoItemId, CommitFailure failure) {
		JdbcTemplate jdbc = this.bed.database().jdbc();
		jdbc.execute("CREATE SEQUENCE information.commit_failures");
		jdbc.execute("CREATE FUNCTION information.fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
				+ "IF NEW.info_item_id = '" + infoItemId + "' AND NEW.watcher_item_id IS NULL "
				+ "AND nextval('information.commit_failures') = 1 THEN " + failure.sql
				+ " END IF; RETURN NULL; END $$");
		jdbc.execute("CREATE CONSTRAINT TRIGGER fail_commit AFTER UPDATE ON information.info_items "
				+ "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION information.fail_commit()");
	}

	private void awaitLookupOf(String watchedId, CompletableFuture<Result> run) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (this.bed.watcher().requestsFor(watchedId).isEmpty()) {
			assertThat(run).as("the run ended before it asked for %s", watchedId).isNotDone();
			assertThat(System.nanoTime()).as("no lookup within 60 s").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** Every InfoItem id in the audit, once per audit row. */
	private List<String> clearedIdsWithDuplicates() {
		return this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class);
	}

	/** How the commit fails. */
	enum CommitFailure {

		/** A deferred constraint that does not hold: the commit is refused. */
		CONSTRAINT("RAISE EXCEPTION 'deferred check of % failed at commit', NEW.info_item_id;"),

		/**
		 * The session is killed at that moment (an administrator, a failover): the
		 * connection drops with the commit unanswered.
		 */
		SESSION_KILLED("PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(10);");

		private final String sql;

		CommitFailure(String sql) {
			this.sql = sql;
		}

	}

}
