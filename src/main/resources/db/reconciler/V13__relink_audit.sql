-- A re-link (--relink) is audited where clears are, so that restore undoes both and a later write
-- of the same row by any run supersedes either: pointer_clear holds every write of a pointer, a
-- clear (relinked_to NULL) or a re-link (relinked_to the new pointer, with the list's answer that
-- named it and the lookup by id that confirmed it). pointer_finding keeps the same for the
-- re-links a dry run would make, and for those a concurrent change left alone.
ALTER TABLE pointer_clear
	ADD COLUMN relinked_to VARCHAR(50),
	ADD COLUMN list_evidence VARCHAR(500),
	ADD COLUMN confirm_evidence VARCHAR(500);

ALTER TABLE pointer_finding
	ADD COLUMN relinked_to VARCHAR(50),
	ADD COLUMN list_evidence VARCHAR(500),
	ADD COLUMN confirm_evidence VARCHAR(500);

-- How a run asked Watcher: runs recorded before asked one lookup per pointer and re-linked nothing.
ALTER TABLE reconcile_run
	ADD COLUMN strategy VARCHAR(20) NOT NULL DEFAULT 'per-item',
	ADD COLUMN relink BOOLEAN NOT NULL DEFAULT false;
