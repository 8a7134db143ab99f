-- Moderation: mutes (a column of the membership, projected with it), bans and reports.

-- While now() < muted_until the member may read but not post, react or type.
ALTER TABLE room_members ADD COLUMN muted_until timestamptz;

-- A ban removes the member and refuses re-adds and invitations until it is lifted.
CREATE TABLE room_bans (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by uuid REFERENCES users (id) ON DELETE SET NULL,
    banned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

CREATE INDEX room_bans_by_user ON room_bans (user_id);

-- Reports of messages to a room's admins; mirrored to rooms/{roomId}/reports/{id}.
CREATE TABLE message_reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    message_id text NOT NULL CHECK (length(message_id) BETWEEN 1 AND 128),
    reporter_id uuid REFERENCES users (id) ON DELETE SET NULL,
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_by uuid REFERENCES users (id) ON DELETE SET NULL,
    resolved_at timestamptz,
    resolution text CHECK (resolution IS NULL OR length(resolution) <= 500),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);

-- One open report per reporter and message: reporting again changes nothing.
CREATE UNIQUE INDEX message_reports_one_open
    ON message_reports (room_id, message_id, reporter_id) WHERE status = 'open';
CREATE INDEX message_reports_by_room ON message_reports (room_id, created_at DESC);
CREATE INDEX message_reports_by_reporter ON message_reports (reporter_id);
