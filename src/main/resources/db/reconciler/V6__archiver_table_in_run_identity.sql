-- The table a run reconciled (schema.table(id_column,pointer_column)) is part of its identity:
-- a run on one table can neither be resumed nor restored on another. Rows written before were
-- written on the table configured when this migration runs (the placeholder), which is
-- Archiver's information.info_items(info_item_id,watcher_item_id) unless set otherwise.
ALTER TABLE reconcile_run ADD COLUMN archiver_table VARCHAR(300);
UPDATE reconcile_run SET archiver_table = '${archiverTable}';
ALTER TABLE reconcile_run ALTER COLUMN archiver_table SET NOT NULL;

ALTER TABLE pointer_clear ADD COLUMN archiver_table VARCHAR(300);
UPDATE pointer_clear SET archiver_table = '${archiverTable}';
ALTER TABLE pointer_clear ALTER COLUMN archiver_table SET NOT NULL;

ALTER TABLE pointer_finding ADD COLUMN archiver_table VARCHAR(300);
UPDATE pointer_finding SET archiver_table = '${archiverTable}';
ALTER TABLE pointer_finding ALTER COLUMN archiver_table SET NOT NULL;
