package io.cannobserv.reconciler.prune;

/**
 * Why prune keeps a run old enough to go: something still reads it.
 */
enum KeepReason {

	/**
	 * The latest run of its identity did not complete: the next reconcile of that
	 * identity resumes it ({@code ResumePolicy}).
	 */
	UNFINISHED,

	/**
	 * The latest run of its identity: the next reconcile of that identity decides from it
	 * whether to resume or start afresh; without it an older unfinished run would be the
	 * latest, and be resumed.
	 */
	LATEST_OF_ITS_KIND,

	/**
	 * The last run of its kind that exited 0: the last-success metric reads its end from
	 * the run history.
	 */
	LAST_SUCCESS,

	/**
	 * In the newest brake sweep (night) of its kind: a partition that starts late may
	 * still join it, and the brake judges the night's runs together.
	 */
	BRAKE_NIGHT,

	/**
	 * Restore would still put back some of its clears or re-links: its audit is the only
	 * way to undo them.
	 */
	RESTORABLE

}
