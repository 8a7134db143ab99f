-- Revocations first: rows that take access away (removal, leave, block, ban) carry
-- priority 0 and are drained ahead of grants (priority 1), with a shorter backoff cap.
ALTER TABLE outbox
    ADD COLUMN priority smallint NOT NULL DEFAULT 1 CHECK (priority IN (0, 1));

CREATE INDEX outbox_due_by_priority ON outbox (priority, next_attempt_at, id)
    WHERE done_at IS NULL;
