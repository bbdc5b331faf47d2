package io.cannobserv.reconciler.archiver;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.store.JobSchema;

/**
 * Archiver's table of pointers: the only place that builds SQL against it. Every write is
 * a compare-and-set that, in the same statement, writes its audit row in the job's
 * schema, so a write and its record can never be separated.
 */
@Component
public class PointerTable {

	private final NamedParameterJdbcTemplate jdbc;

	private final ArchiverTable table;

	private final JobSchema jobSchema;

	/**
	 * The key column's type, as a cast names it: read from the catalog when first needed.
	 */
	private volatile @Nullable String keyType;

	public PointerTable(NamedParameterJdbcTemplate jdbc, ArchiverTable table, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.table = table;
		this.jobSchema = jobSchema;
	}

	/** Where the pointers are. */
	public ArchiverTable table() {
		return this.table;
	}

	/**
	 * Whether the table exists in this database. Preflight's checks read the catalog,
	 * which every role sees whatever its privileges; {@code information_schema} would
	 * hide what the role may not touch.
	 */
	public boolean exists() {
		return relationExists(this.table.table());
	}

	/**
	 * Whether the table has both the id and the pointer column (Archiver 4.13 dropped the
	 * pointer).
	 */
	public boolean hasIdAndPointerColumns() {
		return hasColumns(this.table.table(), this.table.idColumn(), this.table.pointerColumn());
	}

	/**
	 * Whether the table has the changed-at column that every write sets
	 * ({@code updated_at}), or the link names none.
	 */
	public boolean hasChangedAt() {
		String changedAt = this.table.changedAtColumn();
		return changedAt == null || hasColumns(this.table.table(), changedAt);
	}

	/**
	 * Whether the side-effect table exists here (Archiver's {@code watch_status}, 4.10
	 * and later); false when the link names none.
	 */
	public boolean hasWatchStatus() {
		String watchStatus = this.table.watchStatusTable();
		return watchStatus != null && relationExists(watchStatus);
	}

	/** Whether {@code watch_status} has the id column that a clear deletes its row by. */
	public boolean watchStatusHasIdColumn() {
		String watchStatus = this.table.watchStatusTable();
		return watchStatus != null && hasColumns(watchStatus, this.table.idColumn());
	}

	/** Whether the current role may use Archiver's schema (reach the tables in it). */
	public boolean mayUseSchema() {
		return Boolean.TRUE.equals(this.jdbc.getJdbcTemplate()
			.queryForObject("SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = ?",
					Boolean.class, this.table.schema()));
	}

	/**
	 * Whether the current role holds {@code privilege} on a table of Archiver's schema
	 * that exists, on its {@code column}, or on the whole table when that is null. A
	 * table-wide grant counts for every column.
	 */
	public boolean may(String privilege, String table, @Nullable String column) {
		String check = (column != null) ? "has_column_privilege(c.oid, ?, ?)" : "has_table_privilege(c.oid, ?)";
		Object[] arguments = (column != null) ? new Object[] { column, privilege, this.table.schema(), table }
				: new Object[] { privilege, this.table.schema(), table };
		return Boolean.TRUE.equals(this.jdbc.getJdbcTemplate()
			.queryForObject("SELECT " + check + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
					+ " WHERE n.nspname = ? AND c.relname = ?", Boolean.class, arguments));
	}

	/**
	 * A page of the pointers of a partition: at most {@code limit}, in id order, after
	 * {@code afterId} (from the first when null). Keyset, never OFFSET: the writer
	 * removes rows from the selection as it goes.
	 */
	public List<InfoItemPointer> page(long partition, long partitions, @Nullable String afterId, int limit) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("limit", limit);
		// the key as text under a name of its own: ORDER BY a bare name sorts the output
		// column of that name, and a number key would be sorted as text
		String sql = "SELECT " + this.table.idColumn() + "::text AS key_text, " + this.table.pointerColumn() + " FROM "
				+ this.table.qualifiedTable() + " WHERE " + selection("", partition, partitions)
				+ after("", afterId, parameters) + " ORDER BY " + this.table.idColumn() + " LIMIT :limit";
		return this.jdbc.query(sql, parameters, (rs, i) -> new InfoItemPointer(rs.getString(1), rs.getString(2)));
	}

	/**
	 * Like {@link #page}, each pointer joined with the WatchedItem it points to in run
	 * {@code runId}'s snapshot of Watcher's list, where the snapshot holds it.
	 */
	public List<InfoItemPointer> pageWithSnapshot(long partition, long partitions, @Nullable String afterId, int limit,
			long runId) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("limit", limit).addValue("runId", runId);
		String id = this.table.idColumn();
		String pointer = this.table.pointerColumn();
		String sql = "SELECT i." + id + "::text AS key_text, i." + pointer
				+ ", s.watched_item_id IS NOT NULL AS listed," + " s.archiver_info_item_id, s.archived FROM "
				+ this.table.qualifiedTable() + " i LEFT JOIN " + this.jobSchema.table("watcher_snapshot")
				+ " s ON s.run_id = :runId AND s.watched_item_id = i." + pointer + " WHERE "
				+ selection("i.", partition, partitions) + after("i.", afterId, parameters) + " ORDER BY i." + id
				+ " LIMIT :limit";
		return this.jdbc.query(sql, parameters,
				(rs, i) -> new InfoItemPointer(rs.getString(1), rs.getString(2), rs.getBoolean("listed")
						? new InfoItemPointer.Listed(rs.getString("archiver_info_item_id"), rs.getBoolean("archived"))
						: null));
	}

	/** The id column, which the reader keeps as its position. */
	public String positionKey() {
		return this.table.idColumn();
	}

	/**
	 * How many pointers of a partition lie after {@code afterId} (all of them when null).
	 */
	public long count(long partition, long partitions, @Nullable Object afterId) {
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		String sql = "SELECT count(*) FROM " + this.table.qualifiedTable() + " WHERE "
				+ selection("", partition, partitions) + after("", afterId, parameters);
		Long count = this.jdbc.queryForObject(sql, parameters, Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * How many pointers a partition holds, counted up to {@code cap} and no further: a
	 * question about a large table that costs no more than {@code cap} rows.
	 */
	public long countUpTo(long partition, long partitions, long cap) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("cap", cap);
		String sql = "SELECT count(*) FROM (SELECT 1 FROM " + this.table.qualifiedTable() + " WHERE "
				+ selection("", partition, partitions) + " LIMIT :cap) AS capped";
		Long count = this.jdbc.queryForObject(sql, parameters, Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * What has happened to the rows of these clears (audit rows) since: the row as it is
	 * now, whether it still holds what the clear left, and the last clear of it by a
	 * later run.
	 * @return by clear id, the clears of this table only
	 */
	public Map<Long, SinceClear> sinceClears(List<Long> clearIds) {
		if (clearIds.isEmpty()) {
			return Map.of();
		}
		String id = this.table.idColumn();
		String changedAt = changedAt("i.");
		String sql = "SELECT c.clear_id, i." + id + " IS NOT NULL AS row_exists, i." + this.table.pointerColumn()
				+ " AS pointer, " + changedAt + " AS updated_at, " + changedAt
				+ " IS NOT DISTINCT FROM c.row_updated_at AS unchanged, c.row_updated_at,"
				+ " later.run_id AS later_run_id, later.watcher_item_id AS later_pointer, later.relinked_to AS later_relinked_to FROM "
				+ this.jobSchema.table("pointer_clear") + " c LEFT JOIN " + this.table.qualifiedTable() + " i ON i."
				+ id + " = " + key("c.info_item_id")
				+ " LEFT JOIN LATERAL (SELECT l.run_id, l.watcher_item_id, l.relinked_to FROM "
				+ this.jobSchema.table("pointer_clear") + " l WHERE l.archiver_table = c.archiver_table"
				+ " AND l.info_item_id = c.info_item_id AND l.clear_id > c.clear_id ORDER BY l.clear_id DESC LIMIT 1)"
				+ " later ON true WHERE c.clear_id IN (:clearIds) AND c.archiver_table = :archiverTable";
		Map<Long, SinceClear> since = new HashMap<>();
		this.jdbc.query(sql,
				new MapSqlParameterSource("clearIds", clearIds).addValue("archiverTable", this.table.identity()),
				(rs) -> {
					Timestamp updatedAt = rs.getTimestamp("updated_at");
					Timestamp left = rs.getTimestamp("row_updated_at");
					since.put(rs.getLong("clear_id"),
							new SinceClear(rs.getBoolean("row_exists"), rs.getString("pointer"),
									(updatedAt != null) ? updatedAt.toInstant() : null, rs.getBoolean("unchanged"),
									(left != null) ? left.toInstant() : null, rs.getObject("later_run_id", Long.class),
									rs.getString("later_pointer"), rs.getString("later_relinked_to")));
				});
		return since;
	}

	/**
	 * How many of each run's writes (clears and re-links) on this table {@code restore}
	 * would still put back: the write is still the last thing that happened to its row
	 * (the row exists, holds the pointer the write left and the {@code updated_at} it
	 * left, and no later write of this job touched it), and no restore has put it back
	 * yet. The rule of {@code RestoreDecision} and of {@link #restore}'s compare-and-set,
	 * counted in one query.
	 * @param runIds the runs
	 * @param restoredOutcome the outcome with which {@code pointer_restore} records a
	 * write put back
	 * @return by run, the writes restore could still put back; runs with none are absent
	 */
	public Map<Long, Long> stillRestorable(List<Long> runIds, String restoredOutcome) {
		if (runIds.isEmpty()) {
			return Map.of();
		}
		String id = this.table.idColumn();
		String clears = this.jobSchema.table("pointer_clear");
		String sql = "SELECT c.run_id, count(*) AS writes FROM " + clears + " c JOIN " + this.table.qualifiedTable()
				+ " i ON i." + id + " = " + key("c.info_item_id")
				+ " WHERE c.run_id IN (:runIds) AND c.archiver_table = :archiverTable" + " AND i."
				+ this.table.pointerColumn() + " IS NOT DISTINCT FROM c.relinked_to AND " + changedAt("i.")
				+ " IS NOT DISTINCT FROM c.row_updated_at AND NOT EXISTS (SELECT 1 FROM " + clears
				+ " l WHERE l.archiver_table = c.archiver_table AND l.info_item_id = c.info_item_id"
				+ " AND l.clear_id > c.clear_id) AND NOT EXISTS (SELECT 1 FROM "
				+ this.jobSchema.table("pointer_restore")
				+ " r WHERE r.clear_id = c.clear_id AND r.outcome = :restored) GROUP BY c.run_id";
		Map<Long, Long> restorable = new HashMap<>();
		this.jdbc
			.query(sql,
					new MapSqlParameterSource("runIds", runIds).addValue("archiverTable", this.table.identity())
						.addValue("restored", restoredOutcome),
					(rs, i) -> Map.entry(rs.getLong("run_id"), rs.getLong("writes")))
			.forEach((run) -> restorable.put(run.getKey(), run.getValue()));
		return restorable;
	}

	/**
	 * Clears each pointer, or re-links it where the write says so, where it still holds
	 * the value read; deletes the InfoItem's {@code watch_status} row where that table
	 * exists (the cached status is the old WatchedItem's); and writes the audit row
	 * ({@code pointer_clear}) with the {@code updated_at} the write left, one statement
	 * per pointer.
	 * @return per write, the rows written: 1, or 0 when the pointer changed since it was
	 * read
	 */
	public int[] clear(List<Clear> clears, boolean watchStatus) {
		if (clears.isEmpty()) {
			return new int[0];
		}
		String id = this.table.idColumn();
		String pointer = this.table.pointerColumn();
		String changedAt = this.table.changedAtColumn();
		String forgetStatus = watchStatus ? ", forgotten_status AS (DELETE FROM "
				+ this.table.qualifiedWatchStatusTable() + " s USING cleared c WHERE s." + id + " = c.key)" : "";
		String sql = "WITH cleared AS (UPDATE " + this.table.qualifiedTable() + " SET " + pointer + " = :relinkedTo"
				+ ((changedAt != null) ? ", " + changedAt + " = now()" : "") + " WHERE " + id + " = "
				+ key(":infoItemId") + " AND " + pointer + " = :watcherItemId RETURNING " + id + " AS key, " + id
				+ "::text AS info_item_id, " + changedAt("") + " AS updated_at)" + forgetStatus + " INSERT INTO "
				+ this.jobSchema.table("pointer_clear")
				+ " (run_id, job_execution_id, archiver_table, info_item_id, watcher_item_id, http_status, evidence,"
				+ " row_updated_at, relinked_to, list_evidence, confirm_evidence) SELECT :runId, :jobExecutionId,"
				+ " :archiverTable, info_item_id, :watcherItemId, :httpStatus, :evidence, updated_at, :relinkedTo,"
				+ " :listEvidence, :confirmEvidence FROM cleared";
		return this.jdbc.batchUpdate(sql,
				clears.stream()
					.map((clear) -> new MapSqlParameterSource().addValue("runId", clear.runId())
						.addValue("jobExecutionId", clear.jobExecutionId())
						.addValue("archiverTable", this.table.identity())
						.addValue("infoItemId", clear.infoItemId())
						.addValue("watcherItemId", clear.watcherItemId())
						.addValue("httpStatus", clear.httpStatus())
						.addValue("evidence", clear.evidence())
						.addValue("relinkedTo", clear.relinkedTo(), Types.VARCHAR)
						.addValue("listEvidence", clear.listEvidence(), Types.VARCHAR)
						.addValue("confirmEvidence", clear.confirmEvidence(), Types.VARCHAR))
					.toArray(SqlParameterSource[]::new));
	}

	/**
	 * Puts each pointer back while its write is still the last thing that happened to the
	 * row (the pointer as the write left it: empty after a clear, the new WatchedItem
	 * after a re-link; {@code updated_at} as the write left it; no later write of it) and
	 * the write was made on this table, and records it ({@code pointer_restore}) with
	 * {@code outcome}, one statement per pointer.
	 * @return per restore, the rows restored: 1, or 0 when anything happened to the row
	 * since the write
	 */
	public int[] restore(List<Restore> restores, String outcome) {
		String id = this.table.idColumn();
		String pointer = this.table.pointerColumn();
		String clears = this.jobSchema.table("pointer_clear");
		String changedAt = this.table.changedAtColumn();
		// the row is t: inside the audit's subquery, a bare name could be the audit row's
		String sql = "WITH restored AS (UPDATE " + this.table.qualifiedTable() + " AS t SET " + pointer
				+ " = :watcherItemId" + ((changedAt != null) ? ", " + changedAt + " = now()" : "") + " WHERE " + id
				+ " = " + key(":infoItemId") + " AND " + pointer
				+ " IS NOT DISTINCT FROM :relinkedTo AND EXISTS (SELECT 1 FROM " + clears
				+ " c WHERE c.clear_id = :clearId AND c.archiver_table = :archiverTable AND c.relinked_to IS NOT"
				+ " DISTINCT FROM :relinkedTo AND c.row_updated_at IS NOT DISTINCT FROM " + changedAt("t.")
				+ ") AND NOT EXISTS (SELECT 1 FROM " + clears
				+ " l WHERE l.archiver_table = :archiverTable AND l.info_item_id = :infoItemId"
				+ " AND l.clear_id > :clearId) RETURNING " + id + ") INSERT INTO "
				+ this.jobSchema.table("pointer_restore")
				+ " (clear_id, run_id, info_item_id, watcher_item_id, outcome) SELECT :clearId, :runId, :infoItemId,"
				+ " :watcherItemId, :outcome FROM restored";
		return this.jdbc.batchUpdate(sql,
				restores.stream()
					.map((restore) -> new MapSqlParameterSource().addValue("clearId", restore.clearId())
						.addValue("archiverTable", this.table.identity())
						.addValue("runId", restore.runId())
						.addValue("infoItemId", restore.infoItemId())
						.addValue("watcherItemId", restore.watcherItemId())
						.addValue("relinkedTo", restore.relinkedTo(), Types.VARCHAR)
						.addValue("outcome", outcome))
					.toArray(SqlParameterSource[]::new));
	}

	/**
	 * The pointers of a partition: each id hashes to exactly one, so partitions are
	 * disjoint and complete.
	 */
	private String selection(String alias, long partition, long partitions) {
		String condition = alias + this.table.pointerColumn() + " IS NOT NULL";
		if (partitions > 1) {
			condition += " AND mod(mod(hashtextextended(" + alias + this.table.idColumn() + "::text, 0), " + partitions
					+ ") + " + partitions + ", " + partitions + ") = " + partition;
		}
		return condition;
	}

	/** The condition of ids after {@code afterId}, none when null. */
	private String after(String alias, @Nullable Object afterId, MapSqlParameterSource parameters) {
		if (afterId == null) {
			return "";
		}
		parameters.addValue("after", afterId);
		return " AND " + alias + this.table.idColumn() + " > " + key(":after");
	}

	/**
	 * {@code text}, an id as the job keeps it, as a value of the key column's type: a
	 * comparison with the column keeps its order and its index, whatever the type.
	 */
	private String key(String text) {
		String type = this.keyType;
		if (type == null) {
			type = this.jdbc.getJdbcTemplate()
				.queryForObject("SELECT a.atttypid::regtype::text FROM pg_attribute a JOIN pg_class c"
						+ " ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
						+ " AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped", String.class,
						this.table.schema(), this.table.table(), this.table.idColumn());
			this.keyType = type;
		}
		return "CAST(" + text + " AS " + type + ")";
	}

	/**
	 * The changed-at column of the row under {@code alias}, or a null timestamp when the
	 * table has none: restore then compares the pointer alone.
	 */
	private String changedAt(String alias) {
		String changedAt = this.table.changedAtColumn();
		return (changedAt != null) ? alias + changedAt : "CAST(NULL AS timestamptz)";
	}

	private boolean relationExists(String table) {
		return Boolean.TRUE.equals(this.jdbc.getJdbcTemplate()
			.queryForObject(
					"SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
							+ " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v'))",
					Boolean.class, this.table.schema(), table));
	}

	private boolean hasColumns(String table, String... columns) {
		Integer found = this.jdbc.getJdbcTemplate()
			.queryForObject(
					"SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
							+ " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?"
							+ " AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY (?)",
					Integer.class, this.table.schema(), table, columns);
		return found != null && found == columns.length;
	}

	/**
	 * What has happened to a cleared row since its clear.
	 *
	 * @param rowExists whether the InfoItem still exists
	 * @param watcherItemId its pointer now, null when it has none
	 * @param updatedAt its {@code updated_at} now, null when it no longer exists
	 * @param unchanged whether {@code updated_at} is still what the clear left
	 * @param clearLeftUpdatedAt the {@code updated_at} the clear left, null where the
	 * table has no changed-at column
	 * @param laterRunId the run that cleared or re-linked it last since, null when none
	 * did
	 * @param laterWatcherItemId the pointer that later run cleared or re-linked
	 * @param laterRelinkedTo what that later run re-linked it to, null for a clear
	 */
	public record SinceClear(boolean rowExists, @Nullable String watcherItemId, @Nullable Instant updatedAt,
			boolean unchanged, @Nullable Instant clearLeftUpdatedAt, @Nullable Long laterRunId,
			@Nullable String laterWatcherItemId, @Nullable String laterRelinkedTo) {
	}

	/**
	 * A gone pointer to clear, or a moved one to re-link, with what the audit keeps of
	 * it.
	 *
	 * @param runId the run
	 * @param jobExecutionId the execution writing it
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer as read: the compare-and-set's expected value
	 * @param httpStatus Watcher's answer about the pointer
	 * @param evidence Watcher's answer about the pointer, on one line
	 * @param relinkedTo the pointer's new value; null to clear it
	 * @param listEvidence of a re-link, the list's answer that names the new value
	 * @param confirmEvidence of a re-link, the lookup by id that confirmed it
	 */
	public record Clear(long runId, long jobExecutionId, String infoItemId, String watcherItemId, int httpStatus,
			String evidence, @Nullable String relinkedTo, @Nullable String listEvidence,
			@Nullable String confirmEvidence) {

		/** A clear. */
		public Clear(long runId, long jobExecutionId, String infoItemId, String watcherItemId, int httpStatus,
				String evidence) {
			this(runId, jobExecutionId, infoItemId, watcherItemId, httpStatus, evidence, null, null, null);
		}

	}

	/**
	 * A cleared or re-linked pointer to put back.
	 *
	 * @param clearId its audit row
	 * @param runId the run that cleared or re-linked it
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer it had
	 * @param relinkedTo what the re-link set, null for a clear
	 */
	public record Restore(long clearId, long runId, String infoItemId, String watcherItemId,
			@Nullable String relinkedTo) {
	}

}
