-- Consent to be added to group rooms: who may add a user directly, and the invitations
-- everyone else's adds become until the user accepts or declines them.
--   anyone: anyone may add me; shared: people I share a group room with, or a direct room
--   I opened; nobody: every add is an invitation.
ALTER TABLE users
    ADD COLUMN add_policy text NOT NULL DEFAULT 'shared'
        CHECK (add_policy IN ('anyone', 'shared', 'nobody'));

CREATE TABLE room_invitations (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

-- A user's pending invitations; block_user drops those between the pair.
CREATE INDEX room_invitations_by_user ON room_invitations (user_id, invited_by);
CREATE INDEX room_invitations_by_inviter ON room_invitations (invited_by);
