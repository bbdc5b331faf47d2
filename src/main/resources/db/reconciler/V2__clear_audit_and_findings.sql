-- Every pointer this job cleared, with the evidence: the ledger that restore reads.
-- Written in the same transaction as the clear itself.
CREATE TABLE pointer_clear (
	clear_id BIGSERIAL PRIMARY KEY,
	run_id BIGINT NOT NULL,
	job_execution_id BIGINT NOT NULL,
	info_item_id VARCHAR(50) NOT NULL,
	watcher_item_id VARCHAR(50) NOT NULL,
	http_status INT NOT NULL,
	evidence VARCHAR(500) NOT NULL,
	cleared_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	CONSTRAINT pointer_clear_once_per_run UNIQUE (run_id, info_item_id)
);

CREATE INDEX pointer_clear_info_item ON pointer_clear (info_item_id);

-- Every pointer a run did not find live: kept (transient, unconfirmed, malformed, mismatched),
-- left alone because it changed meanwhile, or one a dry run would clear. Reports read it.
CREATE TABLE pointer_finding (
	run_id BIGINT NOT NULL,
	info_item_id VARCHAR(50) NOT NULL,
	watcher_item_id VARCHAR(50) NOT NULL,
	verdict VARCHAR(30) NOT NULL,
	http_status INT NOT NULL,
	evidence VARCHAR(500) NOT NULL,
	job_execution_id BIGINT NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	PRIMARY KEY (run_id, info_item_id)
);
