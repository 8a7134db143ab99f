-- Trusted login devices (OWASP "device cookies"): a random token handed out on a
-- successful login or registration, stored only as its SHA-256. A login that presents a
-- valid token of the account is counted against that device alone, so failures from
-- other clients cannot lock the owner's devices out.
CREATE TABLE login_devices (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_devices_by_user ON login_devices (user_id);
