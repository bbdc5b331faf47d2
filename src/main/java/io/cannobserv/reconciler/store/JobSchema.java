package io.cannobserv.reconciler.store;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.archiver.ArchiverTable;

/**
 * The job's own schema: batch metadata, the clear audit and run findings. Created and
 * versioned by the job (Flyway, history in the same schema), so Archiver's schema is
 * never migrated. Migrated by each command after its preflight rather than at start-up,
 * so a run that cannot start writes nothing anywhere.
 */
@Component
public class JobSchema {

	private final Flyway flyway;

	private final String name;

	public JobSchema(DataSource dataSource, ReconcilerProperties properties, ArchiverTable archiverTable) {
		this.name = properties.jobSchema();
		this.flyway = Flyway.configure()
			.dataSource(dataSource)
			.schemas(this.name)
			.defaultSchema(this.name)
			.createSchemas(true)
			.locations("classpath:db/reconciler")
			.loggers("slf4j")
			// rows written before the table was part of a run's identity were written on
			// the configured one
			.placeholders(Map.of("archiverTable", archiverTable.identity()))
			.load();
	}

	public void migrate() {
		this.flyway.migrate();
	}

	/** Whether every migration of this release has been applied. */
	public boolean upToDate() {
		return this.flyway.info().pending().length == 0;
	}

	public String name() {
		return this.name;
	}

	/** A table of the job's schema, qualified. */
	public String table(String table) {
		return this.name + "." + table;
	}

}
