-- The scheduled drain prunes applied outbox rows after a retention period and login
-- counters whose window ended; these indexes keep both deletes off sequential scans.
CREATE INDEX outbox_done_at ON outbox (done_at) WHERE done_at IS NOT NULL;
CREATE INDEX login_throttle_window ON login_throttle (window_started_at);
