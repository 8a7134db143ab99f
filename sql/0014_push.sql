-- Push notifications: device tokens per user, per-room levels, muted authors, throttle.

-- One row per FCM registration token; a token re-registered by another user moves to them.
CREATE TABLE devices (
    token text PRIMARY KEY CHECK (length(token) BETWEEN 1 AND 4096),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX devices_by_user ON devices (user_id);

-- A member's notification level for one room; no row means 'all'.
CREATE TABLE notification_levels (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    level text NOT NULL CHECK (level IN ('all', 'mentions', 'none')),
    PRIMARY KEY (user_id, room_id)
);

-- Authors whose messages never notify the muter (mentions included).
CREATE TABLE muted_authors (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, author_id),
    CHECK (user_id <> author_id)
);

-- When a member was last pushed about a room: at most one push per interval.
CREATE TABLE push_throttle (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    last_push_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, room_id)
);
