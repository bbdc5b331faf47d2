package io.cannobserv.reconciler.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The job's schema is migrated by Flyway whenever its history differs from this release's
 * migrations, and left alone, without loading Flyway, only when it holds exactly them:
 * every start-up of a current schema skips Flyway, and no needed migration or validation
 * is ever skipped.
 */
class JobSchemaIntegrationTests {

	private static final String SCHEMA = "watcher_link_reconciler";

	private static final String HISTORY = SCHEMA + ".flyway_schema_history";

	private TestDatabase database;

	private JdbcTemplate jdbc;

	private JobSchema jobSchema;

	@BeforeEach
	void setUp() {
		this.database = TestPostgres.newDatabase();
		this.jdbc = this.database.jdbc();
		ReconcilerProperties properties = new ReconcilerProperties(250, 8, 0, 1, Path.of("reports"),
				Duration.ofSeconds(10), SCHEMA, Strategy.PER_ITEM, false, false);
		this.jobSchema = new JobSchema(this.database.dataSource(), properties,
				new ArchiverTable("information", "info_items", "info_item_id", "watcher_item_id", "watch_status"));
	}

	@Test
	void migrateWhenTheSchemaDoesNotExistCreatesItWithFlyway() {
		// given
		assertThat(this.jobSchema.upToDate()).isFalse();

		// when
		boolean migrated = this.jobSchema.migrate();

		// then
		assertThat(migrated).isTrue();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM " + HISTORY + " WHERE type = 'SQL' AND success",
				Integer.class))
			.isEqualTo(ReleaseMigrations.read().size());
	}

	@Test
	void migrateWhenTheSchemaIsCurrentLeavesFlywayOut() {
		// given: Flyway wrote the history, with its own checksums
		this.jobSchema.migrate();

		// when
		boolean migrated = this.jobSchema.migrate();

		// then: this release's checksums, computed without Flyway, are the ones it wrote
		assertThat(migrated).isFalse();
		assertThat(this.jobSchema.upToDate()).isTrue();
	}

	@Test
	void migrateWhenAnEarlierReleaseMadeTheSchemaAppliesTheRest() {
		// given: 0.1.0's schema (migrations 1 to 4)
		flyway().target("4").load().migrate();
		assertThat(this.jobSchema.upToDate()).isFalse();

		// when
		boolean migrated = this.jobSchema.migrate();

		// then: the latest migration's column is there
		assertThat(migrated).isTrue();
		assertThat(this.jobSchema.upToDate()).isTrue();
		assertThat(
				this.jdbc.queryForObject(
						"SELECT count(*) FROM information_schema.columns WHERE table_schema = ?"
								+ " AND table_name = 'reconcile_run' AND column_name = 'build_version'",
						Integer.class, SCHEMA))
			.isOne();
	}

	@Test
	void migrateWhenAnAppliedMigrationWasEditedLeavesItToFlywaysValidation() {
		// given
		this.jobSchema.migrate();
		this.jdbc.update("UPDATE " + HISTORY + " SET checksum = checksum + 1 WHERE version = '2'");

		// when, then: Flyway refuses, as it did before any start-up was spared it
		assertThat(this.jobSchema.upToDate()).isFalse();
		assertThatExceptionOfType(FlywayValidateException.class).isThrownBy(this.jobSchema::migrate)
			.withMessageContaining("checksum mismatch");
	}

	@Test
	void upToDateWhenAMigrationFailedOrIsUnknownIsFalse() {
		// given
		this.jobSchema.migrate();

		// when a migration of this release is recorded as failed
		this.jdbc.update("UPDATE " + HISTORY + " SET success = false WHERE version = '1'");

		// then
		assertThat(this.jobSchema.upToDate()).isFalse();

		// when a later release's migration is there too
		this.jdbc.update("UPDATE " + HISTORY + " SET success = true WHERE version = '1'");
		this.jdbc.update("INSERT INTO " + HISTORY + " (installed_rank, version, description, type, script, checksum,"
				+ " installed_by, execution_time, success) SELECT max(installed_rank) + 1, '999', 'later', 'SQL',"
				+ " 'V999__later.sql', 1, current_user, 0, true FROM " + HISTORY);

		// then
		assertThat(this.jobSchema.upToDate()).isFalse();
	}

	@Test
	void upToDateWhenTheHistoryCannotBeReadIsFalse() {
		// given a schema of that name without Flyway's history
		this.jdbc.execute("CREATE SCHEMA " + SCHEMA);

		// when, then
		assertThat(this.jobSchema.upToDate()).isFalse();
	}

	private FluentConfiguration flyway() {
		return Flyway.configure()
			.dataSource(this.database.dataSource())
			.schemas(SCHEMA)
			.defaultSchema(SCHEMA)
			.createSchemas(true)
			.locations("classpath:db/reconciler")
			.placeholders(Map.of("archiverTable", "information.info_items(info_item_id,watcher_item_id)"));
	}

}
