-- Why a run used its strategy, where --strategy=auto chose it ("auto: at least 1000 pointers to
-- check"); null where the strategy was set. And the requests to Watcher its latest execution
-- allowed in flight ({"adaptive": true, "ceiling": 64, "lowest": 8, "highest": 45, "last": 40}).
-- Both null for runs recorded before.
ALTER TABLE reconcile_run ADD COLUMN strategy_reason VARCHAR(300), ADD COLUMN requests_in_flight JSONB;
