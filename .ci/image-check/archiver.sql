-- Archiver's information schema as release 4.10 leaves it (watcher-contract.md), with
-- :rows InfoItems. The Watcher id's fourth letter tells the fake Watcher (wiremock/) how to
-- answer; per 100 rows:
--   80 V live, 10 G deleted in Watcher (typed 404), 5 A archived, 2 N a 404 that is not
--   Watcher's (a proxy's), 1 T always 503, 1 malformed pointer, 1 without a pointer.
-- psql -v ON_ERROR_STOP=1 -v rows=1000 -f archiver.sql
CREATE SCHEMA information;

CREATE TABLE information.info_items (
	info_item_id VARCHAR(26) PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	description VARCHAR(2000),
	owner VARCHAR(200),
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	rep_fields JSONB NOT NULL DEFAULT '{}',
	watcher_item_id VARCHAR(50)
);

CREATE TABLE information.watch_status (
	info_item_id VARCHAR(26) PRIMARY KEY
		REFERENCES information.info_items (info_item_id) ON DELETE CASCADE,
	status VARCHAR(20),
	checked_at TIMESTAMPTZ
);

INSERT INTO information.info_items (info_item_id, name, owner, created_at, updated_at, watcher_item_id)
SELECT '01HC' || upper(lpad(to_hex(i), 22, '0')), 'InfoItem ' || i, 'ci',
	TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00',
	CASE
		WHEN i % 100 < 80 THEN '01WV' || upper(lpad(to_hex(i), 22, '0'))
		WHEN i % 100 < 90 THEN '01WG' || upper(lpad(to_hex(i), 22, '0'))
		WHEN i % 100 < 95 THEN '01WA' || upper(lpad(to_hex(i), 22, '0'))
		WHEN i % 100 < 97 THEN '01WN' || upper(lpad(to_hex(i), 22, '0'))
		WHEN i % 100 < 98 THEN '01WT' || upper(lpad(to_hex(i), 22, '0'))
		WHEN i % 100 < 99 THEN 'not a watcher id ' || i
	END
FROM generate_series(0, :rows - 1) AS s(i);

INSERT INTO information.watch_status (info_item_id, status, checked_at)
SELECT info_item_id, 'ok', TIMESTAMPTZ '2026-01-01 00:00:00+00'
FROM information.info_items WHERE watcher_item_id IS NOT NULL;
