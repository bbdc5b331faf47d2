package io.cannobserv.reconciler.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

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
 * Preflight checks the database privileges a command will use before it reads or writes
 * anything, with real roles: the role {@code docs/least-privilege.sql} makes, less one
 * privilege at a time. A missing one refuses the command with exit 2 and one line naming
 * the exact statement that grants it; running that statement makes the command pass. Dry
 * runs need only read privileges on Archiver's table.
 */
class PrivilegePreflightIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	private static final String PASSWORD = "role-password";

	private static final String ROLE = "{role}";

	private TestDatabase database;

	private ArchiverDatabase archiver;

	private FakeWatcher watcher;

	private RegistryFixture registry;

	private String role;

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() throws Exception {
		this.database = TestPostgres.newDatabase();
		this.archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.watcher = new FakeWatcher().start();
		this.registry = RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(3).gone(3));
		this.role = "reconciler_job_" + this.database.name();
		String script = Files.readString(Path.of("docs", "least-privilege.sql"));
		this.database.jdbc().execute(script.replace("reconciler_job", this.role));
		this.database.jdbc().execute("ALTER ROLE " + this.role + " PASSWORD '" + PASSWORD + "'");
	}

	@AfterEach
	void tearDown() {
		this.watcher.stop();
	}

	/** What only {@code --apply} uses: a dry run works without it. */
	static Stream<Missing> writePrivileges() {
		return Stream.of(
				new Missing("REVOKE UPDATE (watcher_item_id) ON information.info_items FROM {role}",
						"GRANT UPDATE (watcher_item_id) ON information.info_items TO {role};"),
				new Missing("REVOKE UPDATE (updated_at) ON information.info_items FROM {role}",
						"GRANT UPDATE (updated_at) ON information.info_items TO {role};"),
				new Missing("REVOKE SELECT (updated_at) ON information.info_items FROM {role}",
						"GRANT SELECT (updated_at) ON information.info_items TO {role};"),
				new Missing("REVOKE DELETE ON information.watch_status FROM {role}",
						"GRANT DELETE ON information.watch_status TO {role};"),
				new Missing("REVOKE SELECT (info_item_id) ON information.watch_status FROM {role}",
						"GRANT SELECT (info_item_id) ON information.watch_status TO {role};"));
	}

	/** What every run uses, dry or not. */
	static Stream<Missing> runPrivileges() {
		return Stream.of(
				new Missing("REVOKE SELECT (watcher_item_id) ON information.info_items FROM {role}",
						"GRANT SELECT (watcher_item_id) ON information.info_items TO {role};"),
				new Missing("REVOKE SELECT (info_item_id) ON information.info_items FROM {role}",
						"GRANT SELECT (info_item_id) ON information.info_items TO {role};"),
				new Missing("REVOKE USAGE ON SCHEMA information FROM {role}",
						"GRANT USAGE ON SCHEMA information TO {role};"),
				new Missing("ALTER SCHEMA " + JOB_SCHEMA + " OWNER TO CURRENT_USER",
						"GRANT USAGE, CREATE ON SCHEMA " + JOB_SCHEMA + " TO {role};"),
				new Missing("DROP SCHEMA " + JOB_SCHEMA, "CREATE SCHEMA " + JOB_SCHEMA + " AUTHORIZATION {role};"));
	}

	@ParameterizedTest
	@MethodSource("writePrivileges")
	void reconcileWhenTheRoleLacksAPrivilegeOfApplyRefusesApplyNamingTheGrantAndStillRunsDry(Missing missing) {
		// given
		this.database.jdbc().execute(missing.revoke(this.role));
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();

		// when
		Result refused = reconcile("--apply");

		// then
		assertRefusedBeforeAnything(refused, missing.grant(this.role), before, Map.of());

		// when the same role runs dry
		Result dryRun = reconcile();

		// then
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
		assertThat(this.archiver.snapshot()).isEqualTo(before);

		// when the named statement is run, then --apply clears
		assertGrantFixes(refused);
	}

	@ParameterizedTest
	@MethodSource("runPrivileges")
	void reconcileWhenTheRoleLacksAPrivilegeOfEveryRunRefusesBothModesNamingTheGrant(Missing missing) {
		// given
		this.database.jdbc().execute(missing.revoke(this.role));
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();

		// when
		Result dryRun = reconcile();
		Result applied = reconcile("--apply");

		// then
		assertRefusedBeforeAnything(dryRun, missing.grant(this.role), before, Map.of());
		assertRefusedBeforeAnything(applied, missing.grant(this.role), before, Map.of());
		assertGrantFixes(applied);
	}

	@Test
	void reconcileWhenATableOfTheJobSchemaBelongsToAnotherRoleRefusesNamingTheOwnerChange() {
		// given a first run, then one of the job's tables handed to another role
		Result first = reconcile("--apply");
		assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
		this.database.jdbc().execute("ALTER TABLE " + JOB_SCHEMA + ".pointer_clear OWNER TO CURRENT_USER");
		this.watcher.server().resetRequests();
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();
		Map<String, Long> jobSchema = jobSchemaRows();

		// when
		Result refused = reconcile("--apply");

		// then
		assertRefusedBeforeAnything(refused, "ALTER TABLE " + JOB_SCHEMA + ".pointer_clear OWNER TO " + this.role + ";",
				before, jobSchema);
		assertGrantFixes(refused);
	}

	@Test
	void reconcileWhenTheRoleMayOnlyReadRunsDryAndRefusesApplyNamingEveryGrant() {
		// given a role that may read the pointers, and nothing else of Archiver's
		this.database.jdbc()
			.execute(("REVOKE UPDATE (watcher_item_id, updated_at), SELECT (updated_at) ON information.info_items FROM "
					+ "{role}; REVOKE ALL ON information.watch_status FROM {role}")
				.replace(ROLE, this.role));
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();

		// when
		Result dryRun = reconcile();
		Result refused = reconcile("--apply");

		// then
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
		assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
		assertThat(refused.err().strip()).doesNotContain("\n")
			.endsWith(("run: GRANT SELECT (updated_at), UPDATE (watcher_item_id, updated_at) ON information.info_items"
					+ " TO {role}; GRANT SELECT (info_item_id), DELETE ON information.watch_status TO {role};")
				.replace(ROLE, this.role));
		assertThat(this.archiver.snapshot()).isEqualTo(before);
		assertGrantFixes(refused);
	}

	@Test
	void reconcileWhenTheTableHasNoUpdatedAtRefusesApplyNamingTheColumnAndStillRunsDry() {
		// given a copy of the pointers without updated_at, which every clear sets
		JdbcTemplate jdbc = this.database.jdbc();
		jdbc.execute("CREATE TABLE information.pointers (info_item_id VARCHAR(26) PRIMARY KEY,"
				+ " watcher_item_id VARCHAR(50))");
		jdbc.execute(
				"INSERT INTO information.pointers SELECT info_item_id, watcher_item_id FROM information.info_items");
		jdbc.execute("GRANT SELECT, UPDATE ON information.pointers TO " + this.role);
		List<Map<String, Object>> before = jdbc.queryForList("SELECT * FROM information.pointers ORDER BY 1");

		// when
		Result refused = reconcile("--apply", "--reconciler.archiver.table=pointers");
		Result dryRun = reconcile("--reconciler.archiver.table=pointers");

		// then
		assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
		assertThat(refused.err().strip()).doesNotContain("\n")
			.contains("information.pointers has no column updated_at, which reconcile --apply needs")
			.contains("reconciler.archiver.table");
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
		assertThat(jdbc.queryForList("SELECT * FROM information.pointers ORDER BY 1")).isEqualTo(before);
	}

	@Test
	void restoreWhenTheRoleMayNotWriteThePointersRefusesApplyAndStillPreviews() {
		// given a run that cleared pointers, then a role that may no longer write them
		long runId = clearedRun();
		this.database.jdbc()
			.execute("REVOKE UPDATE (watcher_item_id, updated_at) ON information.info_items FROM " + this.role);
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();
		Map<String, Long> jobSchema = jobSchemaRows();

		// when
		Result refused = restore(runId, "--apply");
		Result preview = restore(runId);

		// then
		assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
		assertThat(refused.err().strip()).doesNotContain("\n")
			.endsWith(
					"run: GRANT UPDATE (watcher_item_id, updated_at) ON information.info_items TO " + this.role + ";");
		assertThat(refused.out()).isEmpty();
		assertThat(this.archiver.snapshot()).isEqualTo(before);
		assertThat(jobSchemaRows()).isEqualTo(jobSchema);
		assertThat(preview.exitCode()).as(preview.out() + preview.err()).isZero();
		assertThat(preview.out()).contains("would restore 3");

		// when the named statement is run
		this.database.jdbc().execute(statements(refused));
		Result restored = restore(runId, "--apply");

		// then
		assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
		for (String id : this.registry.ids(PointerClass.GONE)) {
			assertThat(this.archiver.pointerOf(id)).as(id).isEqualTo(this.registry.entry(id).watcherItemId());
		}
	}

	@Test
	void restoreWhenTheRoleMayNotReadUpdatedAtRefusesBothModes() {
		// given
		long runId = clearedRun();
		this.database.jdbc().execute("REVOKE SELECT (updated_at) ON information.info_items FROM " + this.role);
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();
		Map<String, Long> jobSchema = jobSchemaRows();

		// when
		Result preview = restore(runId);
		Result refused = restore(runId, "--apply");

		// then
		for (Result result : List.of(preview, refused)) {
			assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
			assertThat(result.err().strip()).doesNotContain("\n")
				.endsWith("run: GRANT SELECT (updated_at) ON information.info_items TO " + this.role + ";");
		}
		assertThat(this.archiver.snapshot()).isEqualTo(before);
		assertThat(jobSchemaRows()).isEqualTo(jobSchema);
	}

	private void assertRefusedBeforeAnything(Result result, String grant,
			Map<String, Map<String, @Nullable Object>> before, Map<String, Long> jobSchemaBefore) {
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n").contains("reconcile").endsWith("run: " + grant);
		assertThat(result.out()).isEmpty();
		// nothing read: not a single request to Watcher; nothing written anywhere
		assertThat(this.watcher.allRequests()).isEmpty();
		assertThat(this.archiver.snapshot()).isEqualTo(before);
		assertThat(jobSchemaRows()).isEqualTo(jobSchemaBefore);
	}

	/** Runs the statements a refusal named, as an administrator, then applies again. */
	private void assertGrantFixes(Result refused) {
		this.database.jdbc().execute(statements(refused));
		Result applied = reconcile("--apply");
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		for (String id : this.registry.ids(PointerClass.GONE)) {
			assertThat(this.archiver.pointerOf(id)).as(id).isNull();
		}
	}

	private static String statements(Result refused) {
		String line = refused.err().strip();
		return line.substring(line.indexOf("run: ") + "run: ".length());
	}

	/** An applying run as the full role; returns its run id. */
	private long clearedRun() {
		Result applied = reconcile("--apply");
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		Long runId = this.database.jdbc()
			.queryForObject("SELECT max(run_id) FROM " + JOB_SCHEMA + ".pointer_clear", Long.class);
		assertThat(runId).isNotNull();
		return runId;
	}

	/** Every table of the job's schema with its row count; empty when it has none. */
	private Map<String, Long> jobSchemaRows() {
		JdbcTemplate jdbc = this.database.jdbc();
		Map<String, Long> rows = new LinkedHashMap<>();
		for (String table : jdbc.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1",
				String.class, JOB_SCHEMA)) {
			rows.put(table, jdbc.queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + "." + table, Long.class));
		}
		return rows;
	}

	private Result reconcile(String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--spring.datasource.username=" + this.role);
		args.add("--spring.datasource.password=" + PASSWORD);
		return ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, args.toArray(String[]::new));
	}

	private Result restore(long runId, String... options) {
		List<String> args = new ArrayList<>(List.of("restore", "--run", String.valueOf(runId)));
		args.addAll(List.of(this.database.springArgs()));
		args.add("--spring.datasource.username=" + this.role);
		args.add("--spring.datasource.password=" + PASSWORD);
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	/**
	 * A privilege taken from the least-privilege role, and the statement that gives it
	 * back; {@code {role}} stands for the role.
	 */
	record Missing(String revoke, String grant) {

		String revoke(String role) {
			return this.revoke.replace(ROLE, role);
		}

		String grant(String role) {
			return this.grant.replace(ROLE, role);
		}

		@Override
		public String toString() {
			return this.revoke;
		}

	}

}
