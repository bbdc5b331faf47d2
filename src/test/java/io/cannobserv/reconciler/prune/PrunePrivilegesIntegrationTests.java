package io.cannobserv.reconciler.prune;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.prune.JobSchemaRows.Owned;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prune as the role {@code docs/least-privilege.sql} makes, less one privilege: refused
 * with exit 2 before anything is read or deleted, naming the statement that grants it;
 * that statement makes it pass. The role owns the job's schema, so it holds DELETE on its
 * tables unless that was revoked. The role's runs are made once; each case works on a
 * copy of their database.
 */
class PrunePrivilegesIntegrationTests {

	private static final String PASSWORD = "role-password";

	private static final String ROLE = "{role}";

	private static TestDatabase history;

	private static FakeWatcher watcher;

	private static String role;

	@TempDir
	static Path reportDir;

	private TestDatabase database;

	@BeforeAll
	static void makeHistory() throws Exception {
		history = TestPostgres.newDatabase();
		watcher = new FakeWatcher().start();
		RegistryFixture.create(ArchiverDatabase.createSchema(history.jdbc(), ArchiverVersion.V4_10), watcher,
				Mix.none().live(2).gone(2));
		role = "reconciler_job_" + history.name();
		history.jdbc()
			.execute(Files.readString(Path.of("docs", "least-privilege.sql")).replace("reconciler_job", role));
		history.jdbc().execute("ALTER ROLE " + role + " PASSWORD '" + PASSWORD + "'");
		// two dry runs as the role, which creates and owns the job's schema; the first
		// one old
		List<String> dryRun = new ArrayList<>(List.of(asRole()));
		dryRun.add("--read-timeout=10s");
		for (int i = 0; i < 2; i++) {
			Result run = ReconcilerRun.reconcile(history, watcher, reportDir, dryRun.toArray(String[]::new));
			assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
		}
		JobSchemaRows.age(history.jdbc(), List.of(1L), Duration.ofDays(100));
	}

	@AfterAll
	static void stopWatcher() {
		watcher.stop();
	}

	static Stream<Missing> missing() {
		return Stream.of(
				new Missing("REVOKE DELETE ON watcher_link_reconciler.pointer_finding FROM {role}",
						"GRANT DELETE ON watcher_link_reconciler.pointer_finding TO {role};", false),
				new Missing("REVOKE INSERT ON watcher_link_reconciler.pruned_run FROM {role}",
						"GRANT INSERT ON watcher_link_reconciler.pruned_run TO {role};", false),
				// whether restore could still undo a run is read from Archiver's rows
				new Missing("REVOKE SELECT (updated_at) ON information.info_items FROM {role}",
						"GRANT SELECT (updated_at) ON information.info_items TO {role};", true));
	}

	@ParameterizedTest
	@MethodSource("missing")
	void pruneWhenTheRoleLacksAPrivilegeRefusesNamingTheGrantThatFixesIt(Missing missing) {
		// given the schema as the first prune leaves it, then one privilege less
		this.database = TestPostgres.copyOf(history);
		assertThat(prune().exitCode()).isZero();
		this.database.jdbc().execute(missing.revoke().replace(ROLE, role));
		Map<String, List<Owned>> before = JobSchemaRows.read(this.database.jdbc());

		// when
		Result refused = prune("--apply");
		Result dryRun = prune();

		// then
		String grant = missing.grant().replace(ROLE, role);
		assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
		assertThat(refused.err().strip()).doesNotContain("\n")
			.startsWith("watcher-link-reconciler: Database role " + role
					+ " lacks privileges that prune --apply needs, so nothing was read or written;")
			.endsWith("run: " + grant);
		if (missing.dryRunRefused()) {
			assertThat(dryRun.exitCode()).isEqualTo(2);
			assertThat(dryRun.err().strip()).endsWith("run: " + grant);
		}
		else {
			assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
			assertThat(dryRun.out()).contains("would delete 1 run(s): 1");
		}
		assertThat(JobSchemaRows.read(this.database.jdbc())).isEqualTo(before);

		// when the named statement is run, then prune deletes the old run
		this.database.jdbc().execute(grant);
		Result applied = prune("--apply");
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		assertThat(applied.out()).contains("deleted 1 run(s): 1");
	}

	private Result prune(String... options) {
		List<String> args = new ArrayList<>(List.of("prune"));
		args.addAll(List.of(this.database.springArgs()));
		args.addAll(List.of(asRole()));
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private static String[] asRole() {
		return new String[] { "--spring.datasource.username=" + role, "--spring.datasource.password=" + PASSWORD };
	}

	/**
	 * A privilege taken away, and what a refusal names.
	 *
	 * @param revoke the statement that takes it
	 * @param grant the statement the refusal must end with
	 * @param dryRunRefused whether a dry run needs it too
	 */
	record Missing(String revoke, String grant, boolean dryRunRefused) {
	}

}
