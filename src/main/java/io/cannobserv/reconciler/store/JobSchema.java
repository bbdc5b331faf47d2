package io.cannobserv.reconciler.store;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.run.ReconcilerProperties;

/**
 * The job's own schema: batch metadata, the clear audit and run findings. Created and
 * versioned by the job (Flyway, history in the same schema), so Archiver's schema is
 * never migrated. Migrated by each command after its preflight rather than at start-up,
 * so a run that cannot start writes nothing anywhere.
 * <p>
 * Most runs find the schema current. That is read from Flyway's history table with one
 * query, and Flyway itself (a second of a small run's start-up: its classes, its
 * classpath scan, its validation) is only loaded when the history differs from this
 * release's migrations in any way.
 */
@Component
public class JobSchema {

	private static final Logger logger = LoggerFactory.getLogger(JobSchema.class);

	private static final String HISTORY = "flyway_schema_history";

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final String name;

	private final String archiverTable;

	public JobSchema(DataSource dataSource, ReconcilerProperties properties, ReconciledTable reconciledTable) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.name = properties.jobSchema();
		this.archiverTable = reconciledTable.identity();
	}

	/**
	 * Apply this release's migrations unless the schema is {@link #upToDate() current}.
	 * @return whether Flyway was asked to migrate (and validate); {@code false} when the
	 * history already held exactly this release's migrations
	 */
	public boolean migrate() {
		if (upToDate()) {
			return false;
		}
		flyway().migrate();
		return true;
	}

	/**
	 * Whether the schema's history holds exactly this release's migrations, each applied
	 * successfully with the checksum of this release's file: what Flyway's validation
	 * checks, less the descriptions. Anything else (no schema, a migration pending, a
	 * failed, edited, newer or unknown one, a history that cannot be read) is
	 * {@code false}, and left to Flyway.
	 */
	public boolean upToDate() {
		Map<String, Integer> release = ReleaseMigrations.read();
		if (release == null) {
			return false;
		}
		try {
			return release.equals(applied());
		}
		catch (DataAccessException ex) {
			logger.debug("Cannot read the job schema's history; Flyway decides", ex);
			return false;
		}
	}

	/**
	 * Version to checksum of the successful SQL migrations; {@code null} if any other
	 * row.
	 */
	private @Nullable Map<String, Integer> applied() {
		String history = table(HISTORY);
		if (!Boolean.TRUE
			.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, history))) {
			return null;
		}
		Map<String, Integer> applied = new HashMap<>();
		boolean[] other = { false };
		this.jdbc.query("SELECT version, checksum, type, success FROM " + history + " WHERE type <> 'SCHEMA'", (rs) -> {
			String version = rs.getString("version");
			Integer checksum = rs.getObject("checksum", Integer.class);
			boolean appliedSql = "SQL".equals(rs.getString("type")) && rs.getBoolean("success");
			if (!appliedSql || version == null || checksum == null || applied.put(version, checksum) != null) {
				other[0] = true;
			}
		});
		return (other[0]) ? null : applied;
	}

	private Flyway flyway() {
		return Flyway.configure()
			.dataSource(this.dataSource)
			.schemas(this.name)
			.defaultSchema(this.name)
			.createSchemas(true)
			.locations("classpath:" + ReleaseMigrations.LOCATION)
			.loggers("slf4j")
			// rows written before the table was part of a run's identity were written on
			// the configured one
			.placeholders(Map.of("archiverTable", this.archiverTable))
			.load();
	}

	public String name() {
		return this.name;
	}

	/** A table of the job's schema, qualified. */
	public String table(String table) {
		return this.name + "." + table;
	}

}
