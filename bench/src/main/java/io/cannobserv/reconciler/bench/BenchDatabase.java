package io.cannobserv.reconciler.bench;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 17 server of the benchmark's own (embedded, zonky), holding Archiver's
 * schema as release 4.10 to 4.12 leave it ({@code info_items} with the pointer column,
 * and {@code watch_status}), seeded with one
 * {@code INSERT ... SELECT FROM generate_series}.
 */
final class BenchDatabase implements Closeable {

	static final String DATABASE = "bench";

	static final String USER = "postgres";

	static final String PASSWORD = "postgres";

	static final String JOB_SCHEMA = "watcher_link_reconciler";

	/**
	 * The class letter of a fake Watcher id, at index 3: live, gone, archived, transient.
	 */
	static final char LIVE = 'V';

	static final char GONE = 'G';

	static final char ARCHIVED = 'A';

	static final char TRANSIENT = 'T';

	/**
	 * i % 100: 0-89 live, 90-94 gone, 95-97 archived, 98-99 transient. Ids are 26
	 * characters of Crockford base32 (hex digits are a subset); the pointer's class
	 * letter is at index 3. Not 'L' for live: Crockford base32 has no L, so the job would
	 * call such an id malformed and never ask Watcher.
	 */
	private static final String SEED_SQL = """
			INSERT INTO information.info_items
				(info_item_id, name, description, owner, created_at, updated_at, rep_fields, watcher_item_id)
			SELECT '01BENCH' || upper(lpad(to_hex(i), 19, '0')),
				'InfoItem ' || i, NULL, 'benchmark',
				TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00',
				JSONB '{"kind": "benchmark"}',
				'01W' || CASE WHEN i %% 100 < 90 THEN '%s' WHEN i %% 100 < 95 THEN '%s'
					WHEN i %% 100 < 98 THEN '%s' ELSE '%s' END || upper(lpad(to_hex(i), 22, '0'))
			FROM generate_series(0, ? - 1) AS s(i)""".formatted(LIVE, GONE, ARCHIVED, TRANSIENT);

	private final EmbeddedPostgres postgres;

	private final boolean durable;

	private BenchDatabase(EmbeddedPostgres postgres, boolean durable) {
		this.postgres = postgres;
		this.durable = durable;
	}

	/**
	 * Starts a fresh server in {@code dir} (wiped first) and creates Archiver's schema.
	 */
	static BenchDatabase start(Path dir, boolean fast) throws IOException, SQLException {
		Path data = dir.resolve("pgdata");
		Files.createDirectories(dir);
		File log = dir.resolve("postgres.log").toFile();
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(data)
			.setCleanDataDirectory(true)
			.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
			.setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
			// zonky turns synchronous_commit off; a production server commits durably
			.setServerConfig("synchronous_commit", fast ? "off" : "on")
			.setServerConfig("fsync", fast ? "off" : "on")
			.setServerConfig("full_page_writes", fast ? "off" : "on")
			.setServerConfig("max_connections", "100")
			.setServerConfig("shared_buffers", "256MB")
			.setPGStartupWait(Duration.ofSeconds(120))
			.start();
		BenchDatabase database = new BenchDatabase(postgres, !fast);
		try (Connection admin = DriverManager.getConnection(database.url("postgres"), USER, PASSWORD);
				Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + DATABASE);
		}
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA information");
			statement.execute("""
					CREATE TABLE information.info_items (
						info_item_id VARCHAR(26) PRIMARY KEY,
						name VARCHAR(200) NOT NULL,
						description VARCHAR(2000),
						owner VARCHAR(200),
						created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
						updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
						rep_fields JSONB NOT NULL DEFAULT '{}',
						watcher_item_id VARCHAR(50)
					)""");
			statement.execute("""
					CREATE TABLE information.watch_status (
						info_item_id VARCHAR(26) PRIMARY KEY
							REFERENCES information.info_items (info_item_id) ON DELETE CASCADE,
						status VARCHAR(20),
						checked_at TIMESTAMPTZ
					)""");
		}
		return database;
	}

	String jdbcUrl() {
		return url(DATABASE);
	}

	boolean durable() {
		return this.durable;
	}

	private String url(String database) {
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + database;
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
	}

	/**
	 * Empties Archiver's tables and the job's schema, inserts {@code size} InfoItems with
	 * their pointers and {@code watch_status} rows, then VACUUM ANALYZE and CHECKPOINT,
	 * so every run starts from the same state and does the same work.
	 */
	/** The class letter of pointer {@code i}, as {@link #SEED_SQL} gives it. */
	static char kindOf(int i) {
		int n = i % 100;
		return (n < 90) ? LIVE : (n < 95) ? GONE : (n < 98) ? ARCHIVED : TRANSIENT;
	}

	/** The pointer of InfoItem {@code i}, as {@link #SEED_SQL} writes it. */
	static String watchedItemId(int i) {
		String hex = Integer.toHexString(i).toUpperCase(java.util.Locale.ROOT);
		return "01W" + kindOf(i) + "0".repeat(22 - hex.length()) + hex;
	}

	void seed(int size) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + JOB_SCHEMA + " CASCADE");
			statement.execute("TRUNCATE information.watch_status, information.info_items");
			try (var insert = connection.prepareStatement(SEED_SQL)) {
				insert.setInt(1, size);
				insert.executeUpdate();
			}
			statement.execute("INSERT INTO information.watch_status (info_item_id, status, checked_at) "
					+ "SELECT info_item_id, 'ok', TIMESTAMPTZ '2026-01-01 00:00:00+00' FROM information.info_items "
					+ "WHERE watcher_item_id IS NOT NULL");
			statement.execute("VACUUM ANALYZE information.info_items");
			statement.execute("VACUUM ANALYZE information.watch_status");
			statement.execute("CHECKPOINT");
		}
	}

	/** How many pointers of each class are left; for a check after a run. */
	long count(String where) throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM information.info_items WHERE " + where)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	String setting(String name) throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SHOW " + name)) {
			rs.next();
			return rs.getString(1);
		}
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

}
