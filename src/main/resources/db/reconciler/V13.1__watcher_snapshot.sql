-- The snapshot of Watcher's list that a run's first pass takes (--strategy=snapshot): what
-- deciding about a pointer needs of each WatchedItem, joined to the pointers by the reader's page
-- query. Each execution takes its own and deletes it when it ends; UNLOGGED, as nothing in it
-- outlives the execution (after a crash of the server it is empty, and the pointers it would have
-- decided are looked up by id).
CREATE UNLOGGED TABLE watcher_snapshot (
	run_id BIGINT NOT NULL,
	watched_item_id VARCHAR(26) NOT NULL,
	archiver_info_item_id TEXT,
	archived BOOLEAN NOT NULL,
	PRIMARY KEY (run_id, watched_item_id)
);

-- The run's last snapshot, as its report shows it: {"used", "items", "millis", "requests", "reason"}
ALTER TABLE reconcile_run ADD COLUMN snapshot JSONB;
