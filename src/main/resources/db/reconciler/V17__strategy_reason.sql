-- Why a run used its strategy, where --strategy=auto chose it ("auto: at least 1000 pointers to
-- check"); null where the strategy was set, and for runs recorded before auto was.
ALTER TABLE reconcile_run ADD COLUMN strategy_reason VARCHAR(300);
