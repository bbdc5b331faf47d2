package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.global.GlobalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a chunk's transaction holds and when it holds it: no lock on Archiver's table
 * while Watcher is asked.
 */
class ChunkTransactionIntegrationTests {

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

	private void awaitLookupOf(String watchedId, CompletableFuture<Result> run) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (this.bed.watcher().requestsFor(watchedId).isEmpty()) {
			assertThat(run).as("the run ended before it asked for %s", watchedId).isNotDone();
			assertThat(System.nanoTime()).as("no lookup within 60 s").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

}
