-- The chunk at which the safety brake halted an applying run: judged, never written (its
-- transaction rolled back with its clears, audit rows, findings, counts and the night's figures).
-- What the operator must judge before overriding the brake, recorded after the rollback, the
-- chunk's counts and its pointers in one transaction. A report shows the halt of its run's latest
-- execution only: a resume reads the chunk again and judges it anew.
CREATE TABLE brake_halt (
	job_execution_id BIGINT PRIMARY KEY,
	run_id BIGINT NOT NULL,
	-- the chunk's counts, keyed as the report's, its gone (moved) pointers as would clear (re-link)
	counts JSONB NOT NULL,
	halted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX brake_halt_run ON brake_halt (run_id);

-- Every pointer of a halted chunk, with the verdict on it: WOULD_CLEAR or WOULD_RELINK for a
-- stale one, else its verdict (LIVE, TRANSIENT, ...).
CREATE TABLE brake_halt_pointer (
	job_execution_id BIGINT NOT NULL REFERENCES brake_halt ON DELETE CASCADE,
	info_item_id VARCHAR(50) NOT NULL,
	watcher_item_id VARCHAR(50) NOT NULL,
	verdict VARCHAR(30) NOT NULL,
	http_status INT NOT NULL,
	evidence VARCHAR(500) NOT NULL,
	relinked_to VARCHAR(50),
	list_evidence VARCHAR(500),
	confirm_evidence VARCHAR(500),
	PRIMARY KEY (job_execution_id, info_item_id)
);

-- The run history says which limit a halt passed and the options that let the run through, how
-- many pointers the halted chunk held, and how long the run's executions worked (their sum; the
-- span from the first start to the last end is started_at to ended_at). Runs recorded before
-- have none of these.
ALTER TABLE reconcile_run
	ADD COLUMN brake_limit VARCHAR(30),
	ADD COLUMN brake_override VARCHAR(100),
	ADD COLUMN brake_not_written BIGINT NOT NULL DEFAULT 0,
	ADD COLUMN worked_millis BIGINT;
