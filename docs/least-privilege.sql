-- The least privileges of the database role that runs watcher-link-reconciler
-- (reconcile, dry run or --apply, restore and prune). Nothing more is needed;
-- SecurityIntegrationTests runs the job as a role made by this very script. Each command checks
-- these privileges before it reads or writes anything, and names the statement that grants a
-- missing one (PrivilegePreflightIntegrationTests takes them away one at a time).
--
-- Run once, connected to Archiver's database, as a superuser (or as a role that has CREATEROLE,
-- CREATE on the database, and owns Archiver's tables):
--
--     psql -v ON_ERROR_STOP=1 -d archiver -f docs/least-privilege.sql
--     psql -d archiver -c '\password reconciler_job'
--
-- then run the job with SPRING_DATASOURCE_USERNAME=reconciler_job. With --job-schema=OTHER,
-- replace watcher_link_reconciler below. Run it again after upgrading Archiver from 4.9 or
-- earlier to 4.10+, which adds information.watch_status (CREATE ROLE will then fail: run the
-- last block alone).

CREATE ROLE reconciler_job LOGIN;

-- PUBLIC may connect by default; say it, for databases where that was revoked
DO $$
BEGIN
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO reconciler_job', current_database());
END
$$;

-- The job's own schema: Spring Batch's tables, the clear and restore audit, run findings.
-- The job creates and migrates its tables there itself (Flyway), as the schema's owner; it
-- needs no CREATE on the database. As the owner it may also delete old runs there (prune):
-- nothing more to grant.
CREATE SCHEMA watcher_link_reconciler AUTHORIZATION reconciler_job;

-- Archiver's pointers: read them (the keyset reader, restore), clear them and put them back.
-- Only these three columns are read; only the last two are written. updated_at is read
-- because a clear records the updated_at it left, and restore puts a pointer back only while
-- the row still holds it. A dry run needs only SELECT (info_item_id, watcher_item_id).
GRANT USAGE ON SCHEMA information TO reconciler_job;
GRANT SELECT (info_item_id, watcher_item_id, updated_at) ON information.info_items TO reconciler_job;
GRANT UPDATE (watcher_item_id, updated_at) ON information.info_items TO reconciler_job;

-- Archiver 4.10+: a cleared item's cached status row is deleted in the same statement, as
-- Archiver's own self-heal does. DELETE ... USING reads watch_status.info_item_id in its
-- condition, and PostgreSQL requires SELECT on every column a DELETE reads: DELETE alone is
-- refused ("permission denied for table watch_status").
DO $$
BEGIN
	IF to_regclass('information.watch_status') IS NOT NULL THEN
		GRANT SELECT (info_item_id) ON information.watch_status TO reconciler_job;
		GRANT DELETE ON information.watch_status TO reconciler_job;
	END IF;
END
$$;
