-- One row per run (a Spring Batch job instance), written when each of its executions ends, so
-- that `report` rebuilds any run's report from the database alone: the figures here, the items
-- in pointer_clear and pointer_finding. Column names follow the report's JSON fields.
CREATE TABLE reconcile_run (
	run_id BIGINT PRIMARY KEY,
	mode VARCHAR(20) NOT NULL,
	partition INT NOT NULL,
	partitions INT NOT NULL,
	status VARCHAR(10) NOT NULL,
	exit_code INT NOT NULL,
	exit_message TEXT,
	started_at TIMESTAMPTZ,
	ended_at TIMESTAMPTZ,
	executions INT NOT NULL,
	-- the latest execution recorded: items written by a later one (a resume still running)
	-- are left out of this run's report until that execution ends and updates this row
	last_job_execution_id BIGINT NOT NULL,
	read BIGINT NOT NULL,
	live BIGINT NOT NULL,
	archived BIGINT NOT NULL,
	gone BIGINT NOT NULL,
	cleared BIGINT NOT NULL,
	would_clear BIGINT NOT NULL,
	changed_concurrently BIGINT NOT NULL,
	not_found_unconfirmed BIGINT NOT NULL,
	malformed BIGINT NOT NULL,
	mismatched BIGINT NOT NULL,
	transient BIGINT NOT NULL,
	-- no CHECK on the labels: a new state must not fail the write at the end of a finished run
	brake_state VARCHAR(20) NOT NULL,
	brake_message TEXT,
	brake_max_clear_fraction DOUBLE PRECISION NOT NULL,
	brake_min_sample BIGINT NOT NULL,
	brake_max_clears BIGINT,
	recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

