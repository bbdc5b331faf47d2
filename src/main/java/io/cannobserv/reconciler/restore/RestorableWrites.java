package io.cannobserv.reconciler.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.PointerTable;

/**
 * Which runs still have writes (clears or re-links) that {@code restore} would put back
 * now: decided by the rule of {@link RestoreDecision}, for many runs at once. A run that
 * has any is a run whose audit still undoes something.
 */
@Component
public class RestorableWrites {

	/** Runs per query: a list of ids becomes one bind parameter each. */
	private static final int RUNS_PER_QUERY = 1000;

	private final PointerTable pointerTable;

	RestorableWrites(PointerTable pointerTable) {
		this.pointerTable = pointerTable;
	}

	/**
	 * The writes restore would still put back, by run, on the configured table.
	 * @param runIds the runs
	 * @return by run, how many; runs with none are absent
	 */
	public Map<Long, Long> byRun(List<Long> runIds) {
		Map<Long, Long> restorable = new HashMap<>();
		List<Long> runs = new ArrayList<>(runIds);
		for (int from = 0; from < runs.size(); from += RUNS_PER_QUERY) {
			restorable.putAll(this.pointerTable.stillRestorable(
					runs.subList(from, Math.min(from + RUNS_PER_QUERY, runs.size())), RestoreOutcome.RESTORED.name()));
		}
		return restorable;
	}

}
