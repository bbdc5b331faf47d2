package io.cannobserv.reconciler.restore;

import io.cannobserv.reconciler.archiver.PointerTable.SinceClear;

/**
 * Whether a cleared pointer may be put back, and why not. A clear is undone only while it
 * is still the last thing that happened to its row: a pointer put back after a later
 * clear, a re-link or any edit in Archiver could be one that Watcher has since deleted.
 * The dry run and the applying restore decide with this one rule; the applying one's
 * compare-and-set holds it again in the database.
 *
 * @param outcome what restore does
 * @param detail why it leaves the pointer out, for the operator; empty when restored
 */
record RestoreDecision(RestoreOutcome outcome, String detail) {

	static final RestoreDecision RESTORE = new RestoreDecision(RestoreOutcome.RESTORED, "");

	static RestoreDecision of(SinceClear since) {
		if (!since.rowExists()) {
			return new RestoreDecision(RestoreOutcome.LEFT_ALONE, "the InfoItem no longer exists");
		}
		if (since.laterRunId() != null) {
			return new RestoreDecision(RestoreOutcome.SUPERSEDED, "cleared again since, by run " + since.laterRunId()
					+ " (pointer " + since.laterWatcherItemId() + ")");
		}
		if (since.watcherItemId() != null) {
			return new RestoreDecision(RestoreOutcome.LEFT_ALONE, "re-linked since, to " + since.watcherItemId());
		}
		if (!since.unchanged()) {
			return new RestoreDecision(RestoreOutcome.SUPERSEDED, "changed in Archiver since the clear (updated_at "
					+ since.updatedAt() + ", the clear left " + since.clearLeftUpdatedAt() + ")");
		}
		return RESTORE;
	}

	boolean restores() {
		return this.outcome == RestoreOutcome.RESTORED;
	}

}
