-- A link's table may have no changed-at column (billing.accounts has no updated_at): its
-- clears record none, and restore compares the pointer alone.
ALTER TABLE pointer_clear ALTER COLUMN row_updated_at DROP NOT NULL;
