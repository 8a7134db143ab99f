-- Projection rows committed with the change they mirror; applied right after commit,
-- retried by the scheduled drain until done. Later rows for a path supersede earlier ones.
CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target text NOT NULL CHECK (target IN ('firestore', 'rtdb')),
    path text NOT NULL,
    -- set: whole document; merge: our fields of a document others also write; delete.
    op text NOT NULL CHECK (op IN ('set', 'merge', 'delete')),
    payload jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    done_at timestamptz,
    last_error text,
    CHECK ((op = 'delete') = (payload IS NULL))
);

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE done_at IS NULL;
CREATE INDEX outbox_pending_by_path ON outbox (target, path, id) WHERE done_at IS NULL;
