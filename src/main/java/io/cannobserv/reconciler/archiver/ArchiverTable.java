package io.cannobserv.reconciler.archiver;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.store.ReconciledTable;

/**
 * Where the link's pointers are, as a run uses it: the link's source with
 * {@code reconciler.archiver.*} laid over it ({@link TableSettings}). The names are
 * checked identifiers, spliced into SQL.
 *
 * @param schema the table's schema
 * @param table the table holding the pointers (Archiver's InfoItems)
 * @param idColumn the row's key: unique, the keyset of the reader
 * @param pointerColumn the pointer to the resource (a Watcher WatchedItem)
 * @param watchStatusTable the table of the same schema whose row is deleted with a clear
 * where it exists (Archiver's cache of Watcher's status, 4.10 and later); null for none
 * @param changedAtColumn the timestamp every write sets to {@code now()} and restore
 * compares; null when the table has none
 */
public record ArchiverTable(String schema, String table, String idColumn, String pointerColumn,
		@Nullable String watchStatusTable, @Nullable String changedAtColumn) implements ReconciledTable {

	/** A table whose writes set {@code updated_at}, as Archiver's. */
	public ArchiverTable(String schema, String table, String idColumn, String pointerColumn,
			@Nullable String watchStatusTable) {
		this(schema, table, idColumn, pointerColumn, watchStatusTable, "updated_at");
	}

	public String qualifiedTable() {
		return this.schema + "." + this.table;
	}

	public String qualifiedWatchStatusTable() {
		return this.schema + "." + this.watchStatusTable;
	}

	/**
	 * The table and columns as a run's identity, its lock and its audit rows name them:
	 * {@code information.info_items(info_item_id,watcher_item_id)}.
	 */
	@Override
	public String identity() {
		return qualifiedTable() + "(" + this.idColumn + "," + this.pointerColumn + ")";
	}

}
