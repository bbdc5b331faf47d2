package io.cannobserv.reconciler.store;

/**
 * The table whose pointers a run reconciles, as the job's schema knows it: by the
 * identity its runs and audit rows carry. The job's schema is below the table's own
 * package, which implements this, so that the schema never depends on whose table it is.
 */
public interface ReconciledTable {

	/**
	 * The table and columns as a run's identity names them, e.g.
	 * {@code information.info_items(info_item_id,watcher_item_id)}; what the rows written
	 * before the table was part of a run's identity are given by the migration.
	 */
	String identity();

}
