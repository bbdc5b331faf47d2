package io.cannobserv.reconciler.archiver;

import java.util.List;
import java.util.Optional;

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

	public PointerTable(NamedParameterJdbcTemplate jdbc, ArchiverTable table, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.table = table;
		this.jobSchema = jobSchema;
	}

	/** Where the pointers are. */
	public ArchiverTable table() {
		return this.table;
	}

	/** Whether the table exists in this database. */
	public boolean exists() {
		return regclassExists(this.table.qualifiedTable());
	}

	/**
	 * Whether the table has both the id and the pointer column (Archiver 4.13 dropped the
	 * pointer).
	 */
	public boolean hasIdAndPointerColumns() {
		Integer columns = this.jdbc.getJdbcTemplate()
			.queryForObject(
					"SELECT count(*) FROM information_schema.columns WHERE table_schema = ? "
							+ "AND table_name = ? AND column_name IN (?, ?)",
					Integer.class, this.table.schema(), this.table.table(), this.table.idColumn(),
					this.table.pointerColumn());
		return columns != null && columns == 2;
	}

	/** Whether Archiver's {@code watch_status} cache exists here (4.10 and later). */
	public boolean hasWatchStatus() {
		return regclassExists(this.table.qualifiedWatchStatusTable());
	}

	/**
	 * A page of the pointers of a partition: at most {@code limit}, in id order, after
	 * {@code afterId} (from the first when null). Keyset, never OFFSET: the writer
	 * removes rows from the selection as it goes.
	 */
	public List<InfoItemPointer> page(long partition, long partitions, @Nullable String afterId, int limit) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("limit", limit);
		String sql = "SELECT " + this.table.idColumn() + ", " + this.table.pointerColumn() + " FROM "
				+ this.table.qualifiedTable() + " WHERE " + selection(partition, partitions)
				+ after(afterId, parameters) + " ORDER BY " + this.table.idColumn() + " LIMIT :limit";
		return this.jdbc.query(sql, parameters, (rs, i) -> new InfoItemPointer(rs.getString(1), rs.getString(2)));
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
				+ selection(partition, partitions) + after(afterId, parameters);
		Long count = this.jdbc.queryForObject(sql, parameters, Long.class);
		return (count != null) ? count : 0;
	}

	/** The InfoItem as it is now, or empty when it no longer exists. */
	public Optional<StoredItem> find(String infoItemId) {
		return this.jdbc.getJdbcTemplate()
			.query("SELECT " + this.table.pointerColumn() + " FROM " + this.table.qualifiedTable() + " WHERE "
					+ this.table.idColumn() + " = ?", (rs, i) -> new StoredItem(infoItemId, rs.getString(1)),
					infoItemId)
			.stream()
			.findFirst();
	}

	/**
	 * Clears each pointer where it still holds the value read, deletes the InfoItem's
	 * {@code watch_status} row where that table exists, and writes the audit row
	 * ({@code pointer_clear}), one statement per pointer.
	 * @return per clear, the rows cleared: 1, or 0 when the pointer changed since it was
	 * read
	 */
	public int[] clear(List<Clear> clears, boolean watchStatus) {
		if (clears.isEmpty()) {
			return new int[0];
		}
		String id = this.table.idColumn();
		String pointer = this.table.pointerColumn();
		String forgetStatus = watchStatus ? ", forgotten_status AS (DELETE FROM "
				+ this.table.qualifiedWatchStatusTable() + " s USING cleared c WHERE s." + id + " = c.info_item_id)"
				: "";
		String sql = "WITH cleared AS (UPDATE " + this.table.qualifiedTable() + " SET " + pointer
				+ " = NULL, updated_at = now() WHERE " + id + " = :infoItemId AND " + pointer
				+ " = :watcherItemId RETURNING " + id + " AS info_item_id)" + forgetStatus + " INSERT INTO "
				+ this.jobSchema.table("pointer_clear")
				+ " (run_id, job_execution_id, archiver_table, info_item_id, watcher_item_id, http_status, evidence)"
				+ " SELECT :runId, :jobExecutionId, :archiverTable, info_item_id, :watcherItemId, :httpStatus, :evidence"
				+ " FROM cleared";
		return this.jdbc.batchUpdate(sql,
				clears.stream()
					.map((clear) -> new MapSqlParameterSource().addValue("runId", clear.runId())
						.addValue("jobExecutionId", clear.jobExecutionId())
						.addValue("archiverTable", this.table.identity())
						.addValue("infoItemId", clear.infoItemId())
						.addValue("watcherItemId", clear.watcherItemId())
						.addValue("httpStatus", clear.httpStatus())
						.addValue("evidence", clear.evidence()))
					.toArray(SqlParameterSource[]::new));
	}

	/**
	 * Puts each pointer back where the InfoItem's pointer is still empty, and records it
	 * ({@code pointer_restore}) with {@code outcome}, one statement per pointer.
	 * @return per restore, the rows restored: 1, or 0 when the InfoItem is gone or
	 * re-linked
	 */
	public int[] restore(List<Restore> restores, String outcome) {
		String id = this.table.idColumn();
		String pointer = this.table.pointerColumn();
		String sql = "WITH restored AS (UPDATE " + this.table.qualifiedTable() + " SET " + pointer
				+ " = :watcherItemId, updated_at = now() WHERE " + id + " = :infoItemId AND " + pointer
				+ " IS NULL RETURNING " + id + ") INSERT INTO " + this.jobSchema.table("pointer_restore")
				+ " (clear_id, run_id, info_item_id, watcher_item_id, outcome) SELECT :clearId, :runId, :infoItemId,"
				+ " :watcherItemId, :outcome FROM restored";
		return this.jdbc.batchUpdate(sql,
				restores.stream()
					.map((restore) -> new MapSqlParameterSource().addValue("clearId", restore.clearId())
						.addValue("runId", restore.runId())
						.addValue("infoItemId", restore.infoItemId())
						.addValue("watcherItemId", restore.watcherItemId())
						.addValue("outcome", outcome))
					.toArray(SqlParameterSource[]::new));
	}

	/**
	 * The pointers of a partition: each id hashes to exactly one, so partitions are
	 * disjoint and complete.
	 */
	private String selection(long partition, long partitions) {
		String condition = this.table.pointerColumn() + " IS NOT NULL";
		if (partitions > 1) {
			condition += " AND mod(mod(hashtextextended(" + this.table.idColumn() + ", 0), " + partitions + ") + "
					+ partitions + ", " + partitions + ") = " + partition;
		}
		return condition;
	}

	/** The condition of ids after {@code afterId}, none when null. */
	private String after(@Nullable Object afterId, MapSqlParameterSource parameters) {
		if (afterId == null) {
			return "";
		}
		parameters.addValue("after", afterId);
		return " AND " + this.table.idColumn() + " > :after";
	}

	private boolean regclassExists(String name) {
		return Boolean.TRUE.equals(
				this.jdbc.getJdbcTemplate().queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, name));
	}

	/**
	 * An InfoItem as it is now.
	 *
	 * @param infoItemId its id
	 * @param watcherItemId its pointer, null when it has none
	 */
	public record StoredItem(String infoItemId, @Nullable String watcherItemId) {
	}

	/**
	 * A gone pointer to clear, with what the audit keeps of it.
	 *
	 * @param runId the run
	 * @param jobExecutionId the execution writing it
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer as read: the compare-and-set's expected value
	 * @param httpStatus Watcher's answer
	 * @param evidence Watcher's answer on one line
	 */
	public record Clear(long runId, long jobExecutionId, String infoItemId, String watcherItemId, int httpStatus,
			String evidence) {
	}

	/**
	 * A cleared pointer to put back.
	 *
	 * @param clearId its audit row
	 * @param runId the run that cleared it
	 * @param infoItemId the InfoItem
	 * @param watcherItemId the pointer it had
	 */
	public record Restore(long clearId, long runId, String infoItemId, String watcherItemId) {
	}

}
