-- A Retry-After that Watcher sends one partition of a night holds every partition of that night
-- (its brake sweep): the partition that got it writes until when, the others read it about once
-- a second and hold their own requests until then. One row per night, the latest end of a hold;
-- gone with its sweep.
CREATE TABLE watcher_hold (
	sweep_id BIGINT PRIMARY KEY REFERENCES brake_sweep ON DELETE CASCADE,
	hold_until TIMESTAMPTZ NOT NULL,
	-- the partition that Watcher asked to wait, and the status it answered with
	partition INT NOT NULL,
	http_status INT NOT NULL
);
