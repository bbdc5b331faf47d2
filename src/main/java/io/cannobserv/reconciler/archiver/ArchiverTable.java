package io.cannobserv.reconciler.archiver;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.cannobserv.reconciler.run.SqlIdentifier;
import io.cannobserv.reconciler.store.ReconciledTable;

/**
 * Where Archiver keeps the pointers. The defaults are Archiver's own names; they are
 * properties so that a renamed copy can be reconciled too.
 *
 * @param schema the schema of Archiver's tables
 * @param table the table of InfoItems
 * @param idColumn the InfoItem id: unique, the keyset of the reader
 * @param pointerColumn the pointer to a Watcher WatchedItem
 * @param watchStatusTable Archiver's cache of Watcher's status (4.10 and later), whose
 * row is deleted with a clear where the table exists
 */
@ConfigurationProperties("reconciler.archiver")
public record ArchiverTable(@DefaultValue("information") String schema, @DefaultValue("info_items") String table,
		@DefaultValue("info_item_id") String idColumn, @DefaultValue("watcher_item_id") String pointerColumn,
		@DefaultValue("watch_status") String watchStatusTable) implements ReconciledTable {

	public ArchiverTable {
		// these names are spliced into SQL, so only plain lower-case identifiers pass
		SqlIdentifier.check(schema, "reconciler.archiver.schema");
		SqlIdentifier.check(table, "reconciler.archiver.table");
		SqlIdentifier.check(idColumn, "reconciler.archiver.id-column");
		SqlIdentifier.check(pointerColumn, "reconciler.archiver.pointer-column");
		SqlIdentifier.check(watchStatusTable, "reconciler.archiver.watch-status-table");
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
