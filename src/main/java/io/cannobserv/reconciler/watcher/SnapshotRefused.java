package io.cannobserv.reconciler.watcher;

/**
 * A snapshot that is not used, and not asked for again: past a limit, or an answer that
 * is not Watcher's list of WatchedItems. The message says why, for the log and the
 * report.
 */
public class SnapshotRefused extends RuntimeException {

	public SnapshotRefused(String reason) {
		super(reason, null, false, false);
	}

}
