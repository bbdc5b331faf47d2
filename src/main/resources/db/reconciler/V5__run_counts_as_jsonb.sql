-- A run's counts as one object keyed as in the report's JSON ("read", "live", ... "transient"),
-- so that a new outcome needs no new column. Every recorded run keeps its figures: they move
-- into the object, then the columns go.
ALTER TABLE reconcile_run ADD COLUMN counts JSONB;

UPDATE reconcile_run SET counts = jsonb_build_object(
	'read', read,
	'live', live,
	'archived', archived,
	'gone', gone,
	'cleared', cleared,
	'wouldClear', would_clear,
	'changedConcurrently', changed_concurrently,
	'notFoundUnconfirmed', not_found_unconfirmed,
	'malformed', malformed,
	'mismatched', mismatched,
	'transient', transient);

ALTER TABLE reconcile_run ALTER COLUMN counts SET NOT NULL;

ALTER TABLE reconcile_run
	DROP COLUMN read,
	DROP COLUMN live,
	DROP COLUMN archived,
	DROP COLUMN gone,
	DROP COLUMN cleared,
	DROP COLUMN would_clear,
	DROP COLUMN changed_concurrently,
	DROP COLUMN not_found_unconfirmed,
	DROP COLUMN malformed,
	DROP COLUMN mismatched,
	DROP COLUMN transient;
