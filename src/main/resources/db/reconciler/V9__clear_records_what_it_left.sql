-- What a clear left in Archiver's row: its updated_at, as the clear's UPDATE set it. Restore
-- puts a pointer back only while the row still holds that value, that is while the clear is
-- still the last thing that happened to the row.
ALTER TABLE pointer_clear ADD COLUMN row_updated_at TIMESTAMPTZ;

-- Clears recorded before this column: each clear set updated_at = now() and wrote its audit
-- row, whose cleared_at defaults to now(), in one transaction, so cleared_at is the very
-- value the clear left. A row changed since holds a later one and is left as it is.
UPDATE pointer_clear SET row_updated_at = cleared_at;

ALTER TABLE pointer_clear ALTER COLUMN row_updated_at SET NOT NULL;
