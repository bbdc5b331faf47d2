package io.cannobserv.reconciler.guard;

/**
 * Which command is about to use the database: each reads and writes other columns of
 * Archiver's table, so each needs other privileges.
 */
public enum DatabaseUse {

	/** {@code reconcile}: reads the pointers, and with {@code --apply} clears them. */
	RECONCILE,

	/** {@code restore}: reads what happened since a run's clears, and puts them back. */
	RESTORE,

	/**
	 * {@code prune}: reads what happened since runs' clears (whether restore could still
	 * put them back), and deletes old runs from the job's own schema.
	 */
	PRUNE

}
