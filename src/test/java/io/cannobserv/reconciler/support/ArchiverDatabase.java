package io.cannobserv.reconciler.support;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Archiver's {@code information} schema, as Archiver's own migrations leave it (see
 * {@code watcher-contract.md}), plus helpers to insert rows and to read them back.
 * <p>
 * Rows are inserted with {@link #FIXED_TIME} as {@code created_at} and
 * {@code updated_at}, so a test can tell the rows the job touched (it must set
 * {@code updated_at = now()}) from those it left alone.
 */
public final class ArchiverDatabase {

	/** {@code created_at} and {@code updated_at} of every inserted row. */
	public static final Instant FIXED_TIME = Instant.parse("2026-01-01T00:00:00Z");

	/**
	 * {@code rep_fields} of rows inserted without one: not the column default, to see it
	 * survive.
	 */
	public static final String DEFAULT_REP_FIELDS = "{\"kind\": \"fixture\"}";

	private static final String FIXED_TIME_SQL = "TIMESTAMPTZ '2026-01-01 00:00:00+00'";

	private static final String INFO_ITEMS_DDL = """
			CREATE TABLE information.info_items (
				info_item_id VARCHAR(26) PRIMARY KEY,
				name VARCHAR(200) NOT NULL,
				description VARCHAR(2000),
				owner VARCHAR(200),
				created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
				updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
				rep_fields JSONB NOT NULL DEFAULT '{}'%s
			)""";

	private static final String WATCH_STATUS_DDL = """
			CREATE TABLE information.watch_status (
				info_item_id VARCHAR(26) PRIMARY KEY
					REFERENCES information.info_items (info_item_id) ON DELETE CASCADE,
				status VARCHAR(20),
				checked_at TIMESTAMPTZ
			)""";

	private final JdbcTemplate jdbc;

	private final ArchiverVersion version;

	private ArchiverDatabase(JdbcTemplate jdbc, ArchiverVersion version) {
		this.jdbc = jdbc;
		this.version = version;
	}

	/** Creates the {@code information} schema of the given Archiver release. */
	public static ArchiverDatabase createSchema(JdbcTemplate jdbc, ArchiverVersion version) {
		jdbc.execute("CREATE SCHEMA information");
		jdbc.execute(INFO_ITEMS_DDL.formatted(version.hasPointerColumn() ? ",\n\twatcher_item_id VARCHAR(50)" : ""));
		if (version.hasWatchStatus()) {
			jdbc.execute(WATCH_STATUS_DDL);
		}
		return new ArchiverDatabase(jdbc, version);
	}

	/**
	 * Helpers for a schema that already exists (created by another test step or process).
	 */
	public static ArchiverDatabase attach(JdbcTemplate jdbc, ArchiverVersion version) {
		return new ArchiverDatabase(jdbc, version);
	}

	public JdbcTemplate jdbc() {
		return this.jdbc;
	}

	public ArchiverVersion version() {
		return this.version;
	}

	/**
	 * Inserts an InfoItem. Where {@code watch_status} exists, a watched item (non-null
	 * pointer) also gets its status row, as Archiver keeps one for every watched item.
	 */
	public void insertItem(String infoItemId, @Nullable String watcherItemId) {
		insertItems(List.of(new Item(infoItemId, watcherItemId)));
	}

	/**
	 * Inserts many InfoItems in JDBC batches; see {@link #insertItem(String, String)}.
	 */
	public void insertItems(List<Item> items) {
		boolean pointers = items.stream().anyMatch((item) -> item.watcherItemId() != null);
		Assert.isTrue(this.version.hasPointerColumn() || !pointers,
				() -> "Archiver " + this.version + " has no watcher_item_id column");
		String columns = "info_item_id, name, description, owner, created_at, updated_at, rep_fields";
		String values = "?, ?, NULL, 'archiver-tests', " + FIXED_TIME_SQL + ", " + FIXED_TIME_SQL
				+ ", CAST(? AS jsonb)";
		if (this.version.hasPointerColumn()) {
			columns += ", watcher_item_id";
			values += ", ?";
		}
		String sql = "INSERT INTO information.info_items (" + columns + ") VALUES (" + values + ")";
		this.jdbc.batchUpdate(sql, items, 1000, (ps, item) -> {
			ps.setString(1, item.infoItemId());
			ps.setString(2, "InfoItem " + item.infoItemId());
			ps.setString(3, DEFAULT_REP_FIELDS);
			if (this.version.hasPointerColumn()) {
				ps.setString(4, item.watcherItemId());
			}
		});
		if (this.version.hasWatchStatus()) {
			List<Item> watched = items.stream().filter((item) -> item.watcherItemId() != null).toList();
			String status = "INSERT INTO information.watch_status (info_item_id, status, checked_at) VALUES (?, 'ok', "
					+ FIXED_TIME_SQL + ")";
			this.jdbc.batchUpdate(status, watched, 1000, (ps, item) -> ps.setString(1, item.infoItemId()));
		}
	}

	/**
	 * Sets the pointer directly, as Archiver's "Begin Watching" or a concurrent edit
	 * would.
	 */
	public void setPointer(String infoItemId, @Nullable String watcherItemId) {
		int updated = this.jdbc.update(
				"UPDATE information.info_items SET watcher_item_id = ?, updated_at = now() WHERE info_item_id = ?",
				watcherItemId, infoItemId);
		Assert.state(updated == 1, () -> "No InfoItem " + infoItemId);
	}

	/** The current pointer of an InfoItem. */
	public @Nullable String pointerOf(String infoItemId) {
		return this.jdbc.queryForObject("SELECT watcher_item_id FROM information.info_items WHERE info_item_id = ?",
				String.class, infoItemId);
	}

	public Instant updatedAt(String infoItemId) {
		Timestamp updatedAt = this.jdbc.queryForObject(
				"SELECT updated_at FROM information.info_items WHERE info_item_id = ?", Timestamp.class, infoItemId);
		Assert.state(updatedAt != null, "updated_at is NOT NULL");
		return updatedAt.toInstant();
	}

	public int count() {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM information.info_items", Integer.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Every InfoItem, all columns, keyed and ordered by {@code info_item_id}. Timestamps
	 * are {@link Instant}s and {@code rep_fields} its JSON text, so two snapshots compare
	 * with {@code equals}.
	 */
	public Map<String, Map<String, @Nullable Object>> snapshot() {
		return snapshotOf("information.info_items");
	}

	/**
	 * Every {@code watch_status} row, like {@link #snapshot()}; empty where the table
	 * does not exist.
	 */
	public Map<String, Map<String, @Nullable Object>> watchStatusSnapshot() {
		return this.version.hasWatchStatus() ? snapshotOf("information.watch_status") : Map.of();
	}

	private Map<String, Map<String, @Nullable Object>> snapshotOf(String table) {
		Map<String, Map<String, @Nullable Object>> rows = new LinkedHashMap<>();
		// COLLATE "C": byte order, the order of ULIDs, whatever the database locale
		this.jdbc.query("SELECT * FROM " + table + " ORDER BY info_item_id COLLATE \"C\"", (ResultSet rs) -> {
			Map<String, @Nullable Object> row = readRow(rs);
			rows.put(rs.getString("info_item_id"), row);
		});
		return rows;
	}

	private static Map<String, @Nullable Object> readRow(ResultSet rs) throws SQLException {
		ResultSetMetaData meta = rs.getMetaData();
		Map<String, @Nullable Object> row = new LinkedHashMap<>();
		for (int column = 1; column <= meta.getColumnCount(); column++) {
			row.put(meta.getColumnName(column), normalize(rs.getObject(column)));
		}
		return row;
	}

	private static @Nullable Object normalize(@Nullable Object value) {
		if (value instanceof Timestamp timestamp) {
			return timestamp.toInstant();
		}
		if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
			return value;
		}
		// PGobject (jsonb) and friends: the driver is runtime-only, compare by text
		return value.toString();
	}

	/**
	 * An InfoItem to insert.
	 *
	 * @param infoItemId the primary key
	 * @param watcherItemId the soft pointer, {@code null} when not watched
	 */
	public record Item(String infoItemId, @Nullable String watcherItemId) {
	}

}
