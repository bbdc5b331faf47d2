package io.cannobserv.reconciler.prune;

import java.util.List;
import java.util.Map;

import io.cannobserv.reconciler.cli.OlderThan;
import io.cannobserv.reconciler.prune.RunPruner.Deletion;

/**
 * What a prune deletes and keeps, decided before anything is deleted: the dry run prints
 * it, the applying run carries it out.
 *
 * @param table the table whose runs are pruned, as a run's identity names it
 * @param olderThan which runs are old enough to go
 * @param deletions the old runs to delete, oldest first
 * @param kept the old runs kept, and why, oldest first
 * @param newer how many runs of the table ended since the cutoff (or are under way)
 * @param otherTables runs made on other tables, which this prune leaves alone, by table
 * @param rows the rows of the runs to delete, by table in the order a summary lists them;
 * empty when not counted
 */
record PrunePlan(String table, OlderThan olderThan, List<Deletion> deletions, List<Kept> kept, int newer,
		Map<String, Long> otherTables, Map<String, Long> rows) {

	/**
	 * An old run kept.
	 *
	 * @param run the run
	 * @param reasons why, at least one
	 * @param restorableWrites its clears and re-links that restore could still put back
	 */
	record Kept(RecordedRun run, List<KeepReason> reasons, long restorableWrites) {
	}

}
