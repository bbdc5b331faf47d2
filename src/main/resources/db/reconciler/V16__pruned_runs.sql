-- Every run that prune deleted: what it was and when it went, so that `report --run ID` and
-- `restore --run ID` name a pruned run as pruned rather than unknown. One short row per pruned
-- run, never pruned itself.
--
-- A run is pruned in two steps: one transaction deletes its Batch metadata, its history row and
-- its place in a brake sweep and writes this row (from then on no command sees the run: it is
-- pruned); then its findings, clears, restores and snapshot rows go in short transactions of a
-- bounded size, and `complete` is set. A prune interrupted in between leaves complete = false,
-- and the next prune deletes what is left first; restore refuses such a run all the same.
CREATE TABLE pruned_run (
	run_id BIGINT PRIMARY KEY,
	mode VARCHAR(20) NOT NULL,
	partition INT NOT NULL,
	partitions INT NOT NULL,
	archiver_table VARCHAR(300) NOT NULL,
	-- when the run last did anything (its last execution's end, or last update)
	ended_at TIMESTAMPTZ,
	-- prune deleted the runs that ended before this instant (--older-than)
	cutoff TIMESTAMPTZ NOT NULL,
	-- clears restore could still have put back when the run was pruned (--include-restorable)
	restorable_clears BIGINT NOT NULL DEFAULT 0,
	pruned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	complete BOOLEAN NOT NULL DEFAULT false
);

CREATE INDEX pruned_run_incomplete ON pruned_run (run_id) WHERE NOT complete;

-- Deleting a clear checks that no restore row refers to it: without an index on the
-- referencing column that check reads all of pointer_restore once per clear deleted.
CREATE INDEX pointer_restore_clear ON pointer_restore (clear_id);
