-- The safety brake judges the partitions of one night together: a sweep of the registry, in
-- which each partition has at most one run (a single run is a sweep of its own). Its figures are
-- what the brake judges, added to in each chunk's transaction: the row stays locked until the
-- chunk commits, so partitions writing at once are judged one after another, each on all the
-- others committed.
CREATE TABLE brake_sweep (
	sweep_id BIGSERIAL PRIMARY KEY,
	mode VARCHAR(20) NOT NULL,
	archiver_table VARCHAR(300) NOT NULL,
	partitions INT NOT NULL,
	opened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	-- pointers Watcher answered definitely (live, archived, gone, linked elsewhere) in the chunks
	-- its runs committed, and how many of those were gone
	checked BIGINT NOT NULL DEFAULT 0,
	gone BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX brake_sweep_kind ON brake_sweep (archiver_table, mode, partitions, sweep_id);

-- The sweep of each run, decided when the run first starts and kept by every resume.
CREATE TABLE brake_sweep_run (
	run_id BIGINT PRIMARY KEY,
	sweep_id BIGINT NOT NULL REFERENCES brake_sweep,
	partition INT NOT NULL,
	joined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	CONSTRAINT brake_sweep_run_partition_once UNIQUE (sweep_id, partition)
);
