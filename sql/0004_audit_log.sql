-- Append-only record of logins, tokens minted and every membership change.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id uuid,
    action text NOT NULL,
    room_id uuid,
    target_id uuid,
    client_address text,
    details jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_by_room ON audit_log (room_id, at DESC) WHERE room_id IS NOT NULL;
