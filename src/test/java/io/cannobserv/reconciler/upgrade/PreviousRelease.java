package io.cannobserv.reconciler.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import io.cannobserv.reconciler.support.TestDatabase;

/**
 * A database as release 0.1.0 left it: its job schema (migrations V1 to V4, the release's
 * own) and the rows of an apply run it left unfinished, with Archiver's table as that run
 * left it. The rows are in {@code upgrade/0.1.0/unfinished-run.sql}, copied out of a real
 * run of 0.1.0 (its header says which); {@code run-1.json} is the report file 0.1.0 wrote
 * for it.
 */
final class PreviousRelease {

	static final String DIRECTORY = "/upgrade/0.1.0/";

	static final String JOB_SCHEMA = "watcher_link_reconciler";

	private PreviousRelease() {
	}

	/**
	 * Replaces what {@code database} holds of Archiver's pointers and the job's schema
	 * with 0.1.0's.
	 */
	static void load(TestDatabase database) throws SQLException {
		Flyway.configure()
			.dataSource(database.dataSource())
			.schemas(JOB_SCHEMA)
			.defaultSchema(JOB_SCHEMA)
			.createSchemas(true)
			.locations("classpath:db/reconciler")
			.target("4")
			.load()
			.migrate();
		try (Connection connection = database.dataSource().getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("TRUNCATE information.info_items CASCADE");
			}
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			List<String> lines = resource("unfinished-run.sql").lines().toList();
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (line.startsWith("COPY ")) {
					StringBuilder data = new StringBuilder();
					while (!lines.get(++i).equals("\\.")) {
						data.append(lines.get(i)).append('\n');
					}
					copy.copyIn(line.replace(" FROM stdin;", " FROM STDIN"), new StringReader(data.toString()));
				}
				else if (line.startsWith("SELECT setval(")) {
					try (Statement statement = connection.createStatement()) {
						statement.execute(line);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String resource(String name) {
		try (InputStream in = PreviousRelease.class.getResourceAsStream(DIRECTORY + name)) {
			if (in == null) {
				throw new IllegalStateException("No test resource " + DIRECTORY + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
