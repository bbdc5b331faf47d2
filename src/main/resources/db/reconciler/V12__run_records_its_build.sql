-- The version and commit of the job that recorded a run (its latest execution), so that every
-- report, rebuilt from here long after the pod is gone, says which build did what it did. Runs
-- recorded before have none.
ALTER TABLE reconcile_run
	ADD COLUMN build_version VARCHAR(100),
	ADD COLUMN build_commit VARCHAR(100);
