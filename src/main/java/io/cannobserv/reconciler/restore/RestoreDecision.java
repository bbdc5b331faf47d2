package io.cannobserv.reconciler.restore;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.archiver.PointerTable.SinceClear;

/**
 * Whether a cleared or re-linked pointer may be put back, and why not. A write is undone
 * only while it is still the last thing that happened to its row: a pointer put back
 * after a later clear, a re-link or any edit in Archiver could be one that Watcher has
 * since deleted. The dry run and the applying restore decide with this one rule; the
 * applying one's compare-and-set holds it again in the database.
 *
 * @param outcome what restore does
 * @param detail why it leaves the pointer out, for the operator; empty when restored
 */
record RestoreDecision(RestoreOutcome outcome, String detail) {

	static final RestoreDecision RESTORE = new RestoreDecision(RestoreOutcome.RESTORED, "");

	/**
	 * The decision on a write from what happened to its row since.
	 * @param since the row now, and any later write of it
	 * @param relinkedTo what the write left in the pointer: null after a clear, the new
	 * WatchedItem after a re-link
	 */
	static RestoreDecision of(SinceClear since, @Nullable String relinkedTo) {
		if (!since.rowExists()) {
			return new RestoreDecision(RestoreOutcome.LEFT_ALONE, "the InfoItem no longer exists");
		}
		if (since.laterRunId() != null) {
			String again = (since.laterRelinkedTo() != null) ? "re-linked since" : "cleared again since";
			return new RestoreDecision(RestoreOutcome.SUPERSEDED,
					again + ", by run " + since.laterRunId() + " (pointer " + since.laterWatcherItemId()
							+ ((since.laterRelinkedTo() != null) ? " -> " + since.laterRelinkedTo() : "") + ")");
		}
		String pointer = since.watcherItemId();
		if (!Objects.equals(pointer, relinkedTo)) {
			return new RestoreDecision(RestoreOutcome.LEFT_ALONE, changedSince(pointer, relinkedTo));
		}
		if (!since.unchanged()) {
			String write = (relinkedTo != null) ? "re-link" : "clear";
			return new RestoreDecision(RestoreOutcome.SUPERSEDED,
					"changed in Archiver since the " + write + " (updated_at " + since.updatedAt() + ", the " + write
							+ " left " + since.clearLeftUpdatedAt() + ")");
		}
		return RESTORE;
	}

	private static String changedSince(@Nullable String pointer, @Nullable String relinkedTo) {
		if (relinkedTo == null) {
			return "re-linked since, to " + pointer;
		}
		return (pointer != null) ? "changed since the re-link, to " + pointer : "cleared since the re-link";
	}

	boolean restores() {
		return this.outcome == RestoreOutcome.RESTORED;
	}

}
