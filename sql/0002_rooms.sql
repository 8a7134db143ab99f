-- Rooms and their members: who may do what. Mirrored to Firestore for rules and listeners.
CREATE TABLE rooms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('group', 'direct')),
    name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
    -- "<smaller uid>:<larger uid>" for direct rooms, so one pair has one room.
    direct_key text,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    member_count integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    CHECK ((kind = 'direct') = (direct_key IS NOT NULL))
);

CREATE UNIQUE INDEX rooms_direct_key ON rooms (direct_key) WHERE direct_key IS NOT NULL;

CREATE TABLE room_members (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

-- Membership by user, newest first: list_my_rooms pages through this index.
CREATE INDEX room_members_by_user ON room_members (user_id, joined_at DESC, room_id DESC);
-- Owner count per room (the last owner may not leave).
CREATE INDEX room_members_owners ON room_members (room_id) WHERE role = 'owner';
