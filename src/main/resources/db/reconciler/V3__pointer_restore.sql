-- Every pointer restore put back, or left alone because the InfoItem changed since the clear.
CREATE TABLE pointer_restore (
	restore_id BIGSERIAL PRIMARY KEY,
	clear_id BIGINT NOT NULL REFERENCES pointer_clear (clear_id),
	run_id BIGINT NOT NULL,
	info_item_id VARCHAR(50) NOT NULL,
	watcher_item_id VARCHAR(50) NOT NULL,
	outcome VARCHAR(20) NOT NULL,
	detail VARCHAR(500),
	restored_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- a clear is put back at most once
CREATE UNIQUE INDEX pointer_restore_once ON pointer_restore (clear_id) WHERE outcome = 'RESTORED';
